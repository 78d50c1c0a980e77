import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/core/random.js';
import { mutualNeighbours } from '../../src/distance/mutual-neighbours.js';
import { nearestNeighbourVotes } from '../../src/distance/nearest-neighbour.js';
import { neighbourRanks } from '../../src/distance/neighbour-ranks.js';
import { averageOverProbes, emptyStack, pairCount, pairIndex } from '../../src/distance/probe-stack.js';
import { castRankVotes, rankVotes, rankWeights } from '../../src/distance/rank-votes.js';
import { averageVotes, nearestNeighbourVoteStack } from '../../src/distance/vote-stack.js';

/** One probe of 4 models (a, b, c, d) with the given pair distances, in pair order ab ac ad bc bd cd. */
function oneProbe(d: number[]) {
  const s = emptyStack(['a', 'b', 'c', 'd'], ['p0'], 'embed', 'cosine');
  d.forEach((x, k) => {
    s.distances[k] = x;
    s.present[k] = 1;
  });
  return s;
}
const at = (s: { distances: Float64Array }, i: number, j: number) => s.distances[pairIndex(4, i, j)]!;

function randomStack(n: number, probes: number, seed: number, levels: number) {
  const rng = seededRng(seed);
  const s = emptyStack(
    Array.from({ length: n }, (_, i) => `m${i}`),
    Array.from({ length: probes }, (_, p) => `p${p}`),
    'embed',
    'cosine',
  );
  const pairs = pairCount(n);
  for (let p = 0; p < probes; p++) {
    // A pair is present where both models answered; about one answer in ten is missing.
    const answered = Array.from({ length: n }, () => rng() > 0.1);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (!answered[i] || !answered[j]) continue;
        const k = p * pairs + pairIndex(n, i, j);
        s.present[k] = 1;
        s.distances[k] = Math.floor(rng() * levels) / levels;
      }
    }
  }
  return s;
}

describe('rank-weighted neighbour votes', () => {
  it('with one neighbour are exactly the nearest-neighbour votes, ties included', () => {
    const s = randomStack(9, 30, 3, 4);
    const one = rankVotes(s, { neighbours: 1, weighting: 'flat' });
    expect(Array.from(one.distances)).toEqual(Array.from(nearestNeighbourVotes(s).distances));
    expect(one.metric).toBe('nn-vote(cosine)');
  });

  it('spread a model vote over its k nearest by rank weight', () => {
    // a is nearest b (0.1), then c (0.2), then d (0.9); harmonic weights over 2 ranks: 2/3 and 1/3 of a's half.
    const s = oneProbe([0.1, 0.2, 0.9, 0.5, 0.6, 0.7]);
    const v = rankVotes(s, { neighbours: 2, weighting: 'harmonic' });
    expect(v.metric).toBe('nn-vote2-harmonic(cosine)');
    // a -> b 1/3, b -> a 1/3 (b's nearest are a 0.1, c 0.5): d(a, b) = 1 - 2/3.
    expect(at(v, 0, 1)).toBeCloseTo(1 / 3, 12);
    // a -> c 1/6, c -> a 1/3 (c: a 0.2, b 0.5).
    expect(at(v, 0, 2)).toBeCloseTo(1 - 1 / 6 - 1 / 3, 12);
    // d ranks b first (0.6), b does not rank d in its top 2: d(b, d) = 1 - 1/3.
    expect(at(v, 1, 3)).toBeCloseTo(1 - 1 / 3, 12);
    // Every model casts 1/2 in total: the vote mass is n / 2.
    const mass = [0, 1, 2, 3, 4, 5].reduce((a, k) => a + 1 - v.distances[k]!, 0);
    expect(mass).toBeCloseTo(2, 12);
  });

  it('share the weights of the ranks a tie spans, whatever the model order', () => {
    // b and c tie as a's nearest: with flat weights over 2 ranks each gets a quarter.
    const votes: [number, number, number][] = [];
    const s = oneProbe([0.3, 0.3, 0.9, 0.1, 0.8, 0.7]);
    castRankVotes(4, s.distances, s.present, 0, rankWeights({ neighbours: 2, weighting: 'flat' }), 1e-12, (i, j, x) =>
      votes.push([i, j, x]),
    );
    expect(votes.filter(([i]) => i === 0)).toEqual([
      [0, 1, 0.25],
      [0, 2, 0.25],
    ]);
  });

  it('kept sparse, one probe at a time, give the dense means', () => {
    const s = randomStack(10, 40, 11, 5);
    const n = s.labels.length;
    const pairs = pairCount(n);
    const source = {
      labels: s.labels,
      probes: s.probes,
      signal: 'embed',
      metric: 'cosine',
      fill: (p: number, distances: Float64Array, present: Uint8Array, answered: Uint8Array) => {
        distances.set(s.distances.subarray(p * pairs, (p + 1) * pairs));
        present.set(s.present.subarray(p * pairs, (p + 1) * pairs));
        for (let i = 0; i < n; i++)
          for (let j = i + 1; j < n; j++) if (present[pairIndex(n, i, j)]) answered[i] = answered[j] = 1;
      },
    };
    const votes = { neighbours: 3, weighting: 'harmonic' } as const;
    const sparse = averageVotes(nearestNeighbourVoteStack(source, 1e-12, votes));
    const dense = averageOverProbes(rankVotes(s, votes));
    for (let k = 0; k < sparse.values.length; k++) expect(sparse.values[k]).toBeCloseTo(dense.values[k]!, 12);
    expect(sparse.metric).toBe('nn-vote3-harmonic(cosine)');
  });

  it('refuse a neighbour count that is not a whole number of at least 1', () => {
    expect(() => rankWeights({ neighbours: 0, weighting: 'flat' })).toThrow(/at least 1/);
  });
});

describe('mutual k nearest neighbours', () => {
  it('put a pair at 0 only when each is among the other k nearest', () => {
    const s = oneProbe([0.1, 0.2, 0.9, 0.5, 0.6, 0.7]);
    const one = mutualNeighbours(s, 1);
    expect([at(one, 0, 1), at(one, 0, 2), at(one, 2, 3)]).toEqual([0, 1, 1]);
    const two = mutualNeighbours(s, 2);
    // a: {b, c}; b: {a, c}; c: {a, b}; d: {b, c}: a-b, a-c, b-c mutual, nothing with d.
    expect([at(two, 0, 1), at(two, 0, 2), at(two, 1, 2), at(two, 1, 3), at(two, 2, 3)]).toEqual([0, 0, 0, 1, 1]);
  });
});

describe('neighbour ranks', () => {
  it('average the two ranks, scaled to [0, 1], ties sharing their mean rank', () => {
    const s = oneProbe([0.1, 0.2, 0.9, 0.5, 0.6, 0.7]);
    const r = neighbourRanks(s);
    // a ranks b 0 of 2, b ranks a 0: 0. a ranks d 2 (= 1 scaled), d ranks a 2: 1.
    expect(at(r, 0, 1)).toBe(0);
    expect(at(r, 0, 3)).toBe(1);
    const tied = neighbourRanks(oneProbe([0.3, 0.3, 0.9, 0.1, 0.8, 0.7]));
    // a ranks b and c tied at ranks 0 and 1 (0.25 each after scaling by 2); b ranks a second (0.5).
    expect(at(tied, 0, 1)).toBeCloseTo((0.25 + 0.5) / 2, 12);
  });
});
