import { describe, expect, it } from 'vitest';
import { combineMatrices, meanOffDiagonal, SHIFT_FLOOR, standardizeOffDiagonal } from '../../src/distance/combine.js';
import { distanceAt, makeDistanceMatrix } from '../../src/core/matrix.js';

const m3 = (ab: number, ac: number, bc: number, signal: string, labels = ['a', 'b', 'c']) =>
  makeDistanceMatrix(labels, Float64Array.from([0, ab, ac, ab, 0, bc, ac, bc, 0]), signal, 'x');

describe('combining signals', () => {
  it('standardizes off-diagonal distances to mean 0 and sd 1', () => {
    const z = standardizeOffDiagonal(m3(1, 2, 3, 's'));
    // values 1, 2, 3: mean 2, population sd sqrt(2/3).
    expect(z[1]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 12);
    expect(z[5]).toBeCloseTo(1 / Math.sqrt(2 / 3), 12);
    expect(z[0]).toBe(0);
    expect(Array.from(standardizeOffDiagonal(m3(4, 4, 4, 's')))).toEqual(new Array(9).fill(0));
    expect(meanOffDiagonal(m3(1, 2, 3, 's'))).toBeCloseTo(2, 12);
  });

  it('is a weighted mean of standardized matrices, shifted so the nearest pair sits at the floor', () => {
    const a = m3(1, 2, 3, 'embed');
    const b = m3(300, 100, 200, 'traits');
    const c = combineMatrices([
      { matrix: a, weight: 1 },
      { matrix: b, weight: 3 },
    ]);
    const s = Math.sqrt(2 / 3);
    const z = { ab: (1 * (-1 / s) + 3 * (1 / s)) / 4, ac: (0 + 3 * (-1 / s)) / 4, bc: (1 * (1 / s) + 0) / 4 };
    const min = Math.min(z.ab, z.ac, z.bc);
    expect(distanceAt(c, 0, 1)).toBeCloseTo(z.ab - min + SHIFT_FLOOR, 12);
    expect(distanceAt(c, 0, 2)).toBeCloseTo(SHIFT_FLOOR, 12);
    expect(distanceAt(c, 2, 1)).toBeCloseTo(z.bc - min + SHIFT_FLOOR, 12);
    expect(c.signal).toBe('combined');
  });

  it('does not depend on the units or offset of a signal', () => {
    const a = m3(1, 2, 3, 'embed');
    const b = m3(300, 100, 200, 'traits');
    const b2 = makeDistanceMatrix(
      b.labels,
      b.values.map((v, k) => (k % 4 === 0 ? 0 : v * 1000 + 7)),
      'traits',
      'x',
    );
    const c1 = combineMatrices([
      { matrix: a, weight: 1 },
      { matrix: b, weight: 3 },
    ]);
    const c2 = combineMatrices([
      { matrix: a, weight: 1 },
      { matrix: b2, weight: 3 },
    ]);
    for (let k = 0; k < 9; k++) expect(c2.values[k]).toBeCloseTo(c1.values[k]!, 10);
  });

  it('aligns matrices whose labels come in another order, and refuses other labels', () => {
    const a = m3(1, 2, 3, 'embed');
    const reordered = makeDistanceMatrix(
      ['c', 'a', 'b'],
      Float64Array.from([0, 2, 3, 2, 0, 1, 3, 1, 0]),
      'traits',
      'x',
    );
    const c = combineMatrices([
      { matrix: a, weight: 1 },
      { matrix: reordered, weight: 1 },
    ]);
    const alone = combineMatrices([{ matrix: a, weight: 1 }]);
    for (let k = 0; k < 9; k++) expect(c.values[k]).toBeCloseTo(alone.values[k]!, 12);
    expect(() =>
      combineMatrices([
        { matrix: a, weight: 1 },
        { matrix: m3(1, 1, 1, 't', ['a', 'b', 'z']), weight: 1 },
      ]),
    ).toThrow(/other labels/);
  });
});
