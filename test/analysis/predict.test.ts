// Benchmark prediction (src/analysis/predict.ts): kNN on matrices with a known answer, leave-one-out worked by hand,
// and the nested validation never using a held-out model's own score.
import { describe, expect, it } from 'vitest';
import { makeDistanceMatrix, type DistanceMatrix } from '../../src/core/matrix.js';
import {
  chooseSetting,
  knnGrid,
  knnPredict,
  leaveOneOut,
  meanAbsoluteError,
  pearson,
  predictScores,
} from '../../src/analysis/predict.js';

/** Models at positions on a line; distance = |difference|. */
function lineMatrix(positions: Record<string, number>): DistanceMatrix {
  const labels = Object.keys(positions);
  const x = labels.map((l) => positions[l]!);
  const n = labels.length;
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) values[i * n + j] = Math.abs(x[i]! - x[j]!);
  return makeDistanceMatrix(labels, values, 'test', 'abs');
}

describe('knnPredict', () => {
  it('predicts a model from its own cluster on two well separated clusters', () => {
    const m = lineMatrix({ a1: 0, a2: 1, a3: 2, u: 1.5, b1: 100, b2: 101, b3: 102 });
    const scores = [10, 10, 10, NaN, 50, 50, 50];
    const pool = [0, 1, 2, 4, 5, 6];
    for (const setting of [
      { k: 1, power: 0 },
      { k: 3, power: 0 },
      { k: 3, power: 2 },
    ])
      expect(knnPredict(m, 3, pool, scores, setting)).toBeCloseTo(10, 12);
    // Six neighbours, plain mean: both clusters count equally.
    expect(knnPredict(m, 3, pool, scores, { k: 6, power: 0 })).toBeCloseTo(30, 12);
    // Weighted by 1/d^2 the far cluster hardly counts.
    expect(knnPredict(m, 3, pool, scores, { k: 6, power: 2 })).toBeLessThan(10.01);
  });

  it('gives neighbours at distance 0 all the weight, and caps k at the neighbours there are', () => {
    const m = lineMatrix({ a: 0, twin: 0, b: 1, c: 5 });
    expect(knnPredict(m, 0, [1, 2, 3], [0, 7, 3, 100], { k: 3, power: 1 })).toBe(7);
    expect(knnPredict(m, 2, [0, 3], [4, 0, 0, 10], { k: 10, power: 0 })).toBe(7);
  });
});

describe('leave-one-out by hand', () => {
  // Positions 0, 1, 3, 6 with scores 1, 2, 4, 8; k = 2, weight 1/d.
  const m = lineMatrix({ p0: 0, p1: 1, p3: 3, p6: 6 });
  const scores = [1, 2, 4, 8];
  const pool = [0, 1, 2, 3];

  it('predicts each model from the other three', () => {
    // p0: p1 (d 1, 2) and p3 (d 3, 4): (2 + 4/3) / (1 + 1/3) = 2.5
    // p1: p0 (d 1, 1) and p3 (d 2, 4): (1 + 4/2) / (1 + 1/2) = 2
    // p3: p1 (d 2, 2), then p0 and p6 tie at d 3: the lower index, p0 (1): (2/2 + 1/3) / (1/2 + 1/3) = 1.6
    // p6: p3 (d 3, 4) and p1 (d 5, 2): (4/3 + 2/5) / (1/3 + 1/5) = 3.25
    const loo = leaveOneOut(m, pool, scores, { k: 2, power: 1 });
    expect(loo.map((v) => Number(v.toFixed(10)))).toEqual([2.5, 2, 1.6, 3.25]);
    expect(meanAbsoluteError(loo, scores)).toBeCloseTo((1.5 + 0 + 2.4 + 4.75) / 4, 12);
  });

  it('chooses the setting with the smallest leave-one-out error', () => {
    // k = 1 predicts 2, 1, 2, 4: MAE (1 + 1 + 2 + 4) / 4 = 2, below 2.1625 for k = 2, weight 1/d.
    expect(meanAbsoluteError(leaveOneOut(m, pool, scores, { k: 1, power: 0 }), scores)).toBe(2);
    expect(
      chooseSetting(m, pool, scores, [
        { k: 2, power: 1 },
        { k: 1, power: 0 },
      ]),
    ).toEqual({ k: 1, power: 0 });
  });
});

describe('pearson', () => {
  it('is 1 and -1 on exact linear relations and NaN on a constant', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    // x = 1,2,3,4 and y = 1,3,2,4: sum of products of deviations 4, sums of squares 5 and 5: r = 4 / 5
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
  });
});

describe('predictScores', () => {
  it('recovers cluster scores exactly and predicts the unscored model from its cluster', () => {
    const m = lineMatrix({ a1: 0, a2: 1, a3: 2, u: 1.5, b1: 100, b2: 101, b3: 102, c1: 200, c2: 201, c3: 202 });
    const scores = new Map([
      ['a1', 10],
      ['a2', 10],
      ['a3', 10],
      ['b1', 50],
      ['b2', 50],
      ['b3', 50],
      ['c1', 30],
      ['c2', 30],
      ['c3', 30],
    ]);
    const r = predictScores(m, scores);
    expect(r.looPearson).toBeCloseTo(1, 12);
    expect(r.looMAE).toBeCloseTo(0, 12);
    expect(r.scored).toBe(9);
    expect(r.predictions.map((p) => p.model)).toEqual(m.labels);
    const u = r.predictions.find((p) => p.model === 'u')!;
    expect(u).toMatchObject({ heldOut: false, predicted: 10 });
    expect(u.observed).toBeUndefined();
    expect(r.predictions.filter((p) => p.heldOut)).toHaveLength(9);
    // Mean of the others: for an a (2*10 + 3*50 + 3*30) / 8 = 32.5, off by 22.5; for a b 27.5, off by 22.5; c exact.
    expect(r.baselineMAE).toBeCloseTo((6 * 22.5) / 9, 12);
  });

  it("never uses a held-out model's own score for its prediction or its setting", () => {
    const x: Record<string, number> = {};
    const s = new Map<string, number>();
    for (let i = 0; i < 12; i++) {
      x[`m${i}`] = (i * 37) % 11;
      s.set(`m${i}`, ((i * 13) % 7) + i / 3);
    }
    const m = lineMatrix(x);
    const before = predictScores(m, s).predictions.find((p) => p.model === 'm5')!;
    const changed = predictScores(m, new Map([...s, ['m5', 1e6]])).predictions.find((p) => p.model === 'm5')!;
    expect(changed.predicted).toBe(before.predicted);
    expect(changed.setting).toEqual(before.setting);
    expect(changed.observed).toBe(1e6);
  });

  it('chooses from the grid it is given, and needs three scored models', () => {
    const m = lineMatrix({ a: 0, b: 1, c: 2, d: 3 });
    const grid = knnGrid(2, [0]);
    expect(grid).toEqual([
      { k: 1, power: 0 },
      { k: 2, power: 0 },
    ]);
    const r = predictScores(
      m,
      new Map([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]),
      { grid },
    );
    expect(grid).toContainEqual(r.setting);
    expect(() =>
      predictScores(
        m,
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).toThrow(/at least 3/);
  });
});
