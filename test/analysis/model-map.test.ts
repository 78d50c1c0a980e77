import { describe, expect, it } from 'vitest';
import { makeDistanceMatrix } from '../../src/core/matrix.js';
import { classicalMds, modelMap, UMAP_MIN_MODELS } from '../../src/analysis/model-map.js';

function euclidean(points: readonly [number, number][], labels: readonly string[]) {
  const n = points.length;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) v[i * n + j] = Math.hypot(points[i]![0] - points[j]![0], points[i]![1] - points[j]![1]);
  return makeDistanceMatrix(labels, v, 'test', 'l2');
}

describe('classicalMds', () => {
  it('recovers the distances of points that lie in a plane (Torgerson)', () => {
    const pts: [number, number][] = [
      [0, 0],
      [3, 0],
      [0, 4],
      [2, 2],
    ];
    const m = euclidean(pts, ['a', 'b', 'c', 'd']);
    const out = classicalMds(m);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const d = Math.hypot(out[i]!.x - out[j]!.x, out[i]!.y - out[j]!.y);
        expect(d).toBeCloseTo(m.values[i * 4 + j]!, 6);
      }
    }
  });
});

describe('modelMap', () => {
  it('uses MDS below the UMAP minimum and seeded UMAP from there, the same map for the same seed', () => {
    expect(
      modelMap(
        euclidean(
          [
            [0, 0],
            [1, 0],
            [0, 1],
          ],
          ['a', 'b', 'c'],
        ),
      ).method,
    ).toBe('mds');
    const pts: [number, number][] = Array.from({ length: 8 }, (_, i) => [i < 4 ? 0 : 10, i % 4]);
    const m = euclidean(
      pts,
      pts.map((_, i) => `m${i}`),
    );
    expect(pts.length).toBeGreaterThanOrEqual(UMAP_MIN_MODELS);
    const a = modelMap(m, 7);
    const b = modelMap(m, 7);
    expect(a.method).toBe('umap');
    expect(a.points).toEqual(b.points);
    // Two well-separated groups stay apart: every cross-group pair is farther than every within-group pair.
    const dist = (i: number, j: number) => Math.hypot(a.points[i]!.x - a.points[j]!.x, a.points[i]!.y - a.points[j]!.y);
    let within = 0;
    let across = Infinity;
    for (let i = 0; i < 8; i++)
      for (let j = i + 1; j < 8; j++) {
        if (i < 4 === j < 4) within = Math.max(within, dist(i, j));
        else across = Math.min(across, dist(i, j));
      }
    expect(across).toBeGreaterThan(within);
  });
});
