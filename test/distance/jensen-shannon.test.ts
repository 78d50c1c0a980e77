import { describe, expect, it } from 'vitest';
import { jensenShannonDistance, jensenShannonDivergence } from '../../src/distance/jensen-shannon.js';
import { seededRng } from '../../src/core/random.js';

function randomDistribution(rng: () => number, k: number): Float64Array {
  const p = Float64Array.from({ length: k }, () => rng());
  const s = p.reduce((a, b) => a + b, 0);
  return p.map((x) => x / s);
}

describe('Jensen-Shannon divergence', () => {
  it('is 0 for identical distributions and 1 bit for disjoint ones', () => {
    expect(jensenShannonDivergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBeCloseTo(0, 12);
    expect(jensenShannonDivergence([1, 0], [0, 1])).toBeCloseTo(1, 12);
  });

  it('matches a hand computation: P = (1, 0), Q = (1/2, 1/2)', () => {
    // M = (3/4, 1/4); KL(P||M) = log2(4/3); KL(Q||M) = 1/2 log2(2/3) + 1/2 log2(2); JS = the mean of the two.
    const expected = 0.5 * Math.log2(4 / 3) + 0.5 * (0.5 * Math.log2(2 / 3) + 0.5 * Math.log2(2));
    expect(jensenShannonDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(expected, 12);
  });

  it('normalises counts, is symmetric, bounded, and its square root obeys the triangle inequality', () => {
    expect(jensenShannonDivergence([2, 6], [1, 3])).toBeCloseTo(0, 12);
    const rng = seededRng(7);
    for (let t = 0; t < 200; t++) {
      const p = randomDistribution(rng, 5);
      const q = randomDistribution(rng, 5);
      const r = randomDistribution(rng, 5);
      const pq = jensenShannonDivergence(p, q);
      expect(pq).toBeCloseTo(jensenShannonDivergence(q, p), 12);
      expect(pq).toBeGreaterThanOrEqual(0);
      expect(pq).toBeLessThanOrEqual(1);
      expect(jensenShannonDistance(p, r)).toBeLessThanOrEqual(
        jensenShannonDistance(p, q) + jensenShannonDistance(q, r) + 1e-12,
      );
    }
  });

  it('refuses a distribution with no mass or mismatched lengths', () => {
    expect(() => jensenShannonDivergence([0, 0], [1, 0])).toThrow(/no mass/);
    expect(() => jensenShannonDivergence([1], [1, 0])).toThrow(/lengths/);
  });
});
