import { describe, expect, it } from 'vitest';
import { logprobStack } from '../../src/distance/logprob-jensen-shannon.js';
import { jensenShannonDistance, jensenShannonDivergence } from '../../src/distance/jensen-shannon.js';
import { averageOverProbes, pairCount, pairIndex } from '../../src/distance/probe-stack.js';
import type { LogprobProfile, TokenDistribution } from '../../src/phenotype/logprob-profile.js';

const dist = (o: Record<string, number>): TokenDistribution => new Map(Object.entries(o));

// Three models, three probes; model 2 has no logprobs on probe 1.
const cells: (TokenDistribution | undefined)[] = [
  dist({ a: 0.7, b: 0.2, z: 0.1 }),
  dist({ a: 0.7, b: 0.2, z: 0.1 }),
  dist({ c: 0.9, z: 0.1 }),
  dist({ a: 0.5, z: 0.5 }),
  dist({ b: 0.5, z: 0.5 }),
  undefined,
  dist({ x: 1 }),
  dist({ y: 1 }),
  dist({ x: 0.5, y: 0.5 }),
];
const profile: LogprobProfile = { models: ['m0', 'm1', 'm2'], probes: ['p0', 'p1', 'p2'], cells, k: 3 };

describe('logprobStack', () => {
  it('stores the Jensen-Shannon divergence of each pair on each probe, absent where a model has no distribution', () => {
    const s = logprobStack(profile);
    const pairs = pairCount(3);
    expect(s.metric).toBe('js-divergence(top-3)');
    const at = (p: number, i: number, j: number) => s.distances[p * pairs + pairIndex(3, i, j)]!;
    const has = (p: number, i: number, j: number) => s.present[p * pairs + pairIndex(3, i, j)]!;
    expect(at(0, 0, 1)).toBe(0);
    expect(at(0, 0, 2)).toBeCloseTo(jensenShannonDivergence([0.7, 0.2, 0.1, 0], [0, 0, 0.1, 0.9]), 12);
    expect(at(2, 0, 1)).toBeCloseTo(1, 12); // disjoint supports
    expect(at(2, 0, 2)).toBeCloseTo(jensenShannonDivergence([1, 0], [0.5, 0.5]), 12);
    expect(has(1, 0, 2)).toBe(0);
    expect(has(1, 1, 2)).toBe(0);
    expect(has(1, 0, 1)).toBe(1);
    const d = logprobStack(profile, 'distance');
    expect(d.distances[pairIndex(3, 0, 2)]).toBeCloseTo(
      jensenShannonDistance([0.7, 0.2, 0.1, 0], [0, 0, 0.1, 0.9]),
      12,
    );
  });

  it('averages over the probes both models have, and a bootstrap weight counts a probe that many times', () => {
    const s = logprobStack(profile);
    const pairs = pairCount(3);
    const k02 = pairIndex(3, 0, 2);
    const m = averageOverProbes(s);
    expect(m.values[2]).toBeCloseTo((s.distances[k02]! + s.distances[2 * pairs + k02]!) / 2, 12);
    const w = averageOverProbes(s, [0, 2, 1]);
    const k01 = pairIndex(3, 0, 1);
    expect(w.values[1]).toBeCloseTo((2 * s.distances[pairs + k01]! + s.distances[2 * pairs + k01]!) / 3, 12);
  });
});
