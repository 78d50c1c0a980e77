import { describe, expect, it } from 'vitest';
import { standardizedEuclidean } from '../../src/distance/std-euclidean.js';
import { distanceAt } from '../../src/core/matrix.js';

describe('standardized Euclidean distance', () => {
  it('divides each variable by its standard deviation across models (hand computed)', () => {
    // Variable 1: 0, 1, 2 (sd 1); variable 2: 0, 100, 200 (sd 100). Both standardize to 0, 1, 2.
    const m = standardizedEuclidean(['a', 'b', 'c'], Float64Array.from([0, 0, 1, 100, 2, 200]), 2);
    expect(distanceAt(m, 0, 1)).toBeCloseTo(1, 12); // sqrt((1 + 1) / 2)
    expect(distanceAt(m, 0, 2)).toBeCloseTo(2, 12);
    expect(m.metric).toBe('std-euclidean');
  });

  it('is unchanged by rescaling a variable, and ignores constant variables', () => {
    const base = standardizedEuclidean(['a', 'b', 'c'], Float64Array.from([1, 5, 7, 2, 5, 3, 4, 5, 9]), 3);
    const scaled = standardizedEuclidean(['a', 'b', 'c'], Float64Array.from([1000, 5, 7, 2000, 5, 3, 4000, 5, 9]), 3);
    for (let k = 0; k < 9; k++) expect(scaled.values[k]).toBeCloseTo(base.values[k]!, 10);
    // Variable 2 is constant (5): it takes no part.
    const two = standardizedEuclidean(['a', 'b', 'c'], Float64Array.from([1, 7, 2, 3, 4, 9]), 2);
    expect(distanceAt(base, 0, 1)).toBeCloseTo(distanceAt(two, 0, 1), 12);
  });

  it('skips NaN variables for a pair', () => {
    const m = standardizedEuclidean(['a', 'b', 'c'], Float64Array.from([0, Number.NaN, 1, 0, 2, 10]), 2);
    // a-b: only variable 1 (values 0, 1; sd over 0, 1, 2 = 1) -> 1.
    expect(distanceAt(m, 0, 1)).toBeCloseTo(1, 12);
  });
});
