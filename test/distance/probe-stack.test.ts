import { describe, expect, it } from 'vitest';
import {
  averageOverProbes,
  emptyStack,
  forEachPresentPair,
  pairCount,
  pairIndex,
  sharedProbeCounts,
  upperTriangle,
} from '../../src/distance/probe-stack.js';
import { nearestNeighbourVotes } from '../../src/distance/nearest-neighbour.js';
import { distanceAt } from '../../src/core/matrix.js';

function stack3(perProbe: (number | undefined)[][]) {
  const s = emptyStack(
    ['a', 'b', 'c'],
    perProbe.map((_, i) => `p${i}`),
    'embed',
    'cosine',
  );
  perProbe.forEach((pairs, p) => {
    pairs.forEach((d, k) => {
      if (d === undefined) return;
      s.distances[p * 3 + k] = d;
      s.present[p * 3 + k] = 1;
    });
  });
  return s;
}

describe('per-probe distance stack', () => {
  it('indexes pairs of the upper triangle row by row', () => {
    expect([pairIndex(4, 0, 1), pairIndex(4, 0, 3), pairIndex(4, 1, 2), pairIndex(4, 3, 2)]).toEqual([0, 2, 3, 5]);
  });

  it('averages over probes, weighting by draw counts', () => {
    const s = stack3([
      [0.2, 0.4, 0.6],
      [0.4, 0.8, 0.2],
    ]);
    const m = averageOverProbes(s);
    expect(distanceAt(m, 0, 1)).toBeCloseTo(0.3, 12);
    expect(distanceAt(m, 2, 1)).toBeCloseTo(0.4, 12);
    const w = averageOverProbes(s, [3, 1]);
    expect(distanceAt(w, 0, 1)).toBeCloseTo((3 * 0.2 + 0.4) / 4, 12);
    expect(distanceAt(averageOverProbes(s, [0, 2]), 0, 2)).toBeCloseTo(0.8, 12);
  });

  it('averages a pair over the probes both models answered, and falls back when a draw has none', () => {
    const s = stack3([
      [0.2, undefined, 0.6],
      [0.4, 0.8, 0.2],
    ]);
    expect(Array.from(sharedProbeCounts(s))).toEqual([2, 1, 2]);
    const full = averageOverProbes(s);
    expect(distanceAt(full, 0, 2)).toBeCloseTo(0.8, 12);
    // A replicate that drew only probe 0: pair (a, c) has no probe; it takes the full-data value.
    const rep = averageOverProbes(s, [2, 0], upperTriangle(full));
    expect(distanceAt(rep, 0, 2)).toBeCloseTo(0.8, 12);
  });
});

describe('nearest-neighbour votes', () => {
  it('gives each model one vote per probe for its nearest model', () => {
    // Probe 0: a-b closest (0.1); c's nearest is b (0.3 < 0.5). Probe 1: a-c closest, b's nearest is a.
    const s = stack3([
      [0.1, 0.5, 0.3],
      [0.4, 0.1, 0.6],
    ]);
    const v = nearestNeighbourVotes(s);
    // Probe 0: a->b, b->a, c->b: d(a,b) = 1 - (0.5 + 0.5) = 0, d(b,c) = 1 - 0.5, d(a,c) = 1.
    expect(Array.from(v.distances.slice(0, 3))).toEqual([0, 1, 0.5]);
    // Probe 1: a->c, c->a, b->a: d(a,b) = 0.5, d(a,c) = 0, d(b,c) = 1.
    expect(Array.from(v.distances.slice(3, 6))).toEqual([0.5, 0, 1]);
    expect(v.metric).toBe('nn-vote(cosine)');
  });

  it('splits a vote between tied nearest models and ignores absent pairs', () => {
    const s = stack3([[0.2, 0.2, undefined]]);
    const v = nearestNeighbourVotes(s);
    // a ties b and c: half a vote each; b's only neighbour is a; c's only neighbour is a.
    expect(v.distances[0]).toBeCloseTo(1 - (0.25 + 0.5), 12);
    expect(v.distances[1]).toBeCloseTo(1 - (0.25 + 0.5), 12);
    expect(v.present[2]).toBe(0);
  });

  it('is unchanged by a monotone rescaling of a probe', () => {
    const s = stack3([[0.1, 0.5, 0.3]]);
    const t = stack3([[0.01, 0.25, 0.09]]);
    expect(Array.from(nearestNeighbourVotes(s).distances)).toEqual(Array.from(nearestNeighbourVotes(t).distances));
  });
});

describe('forEachPresentPair', () => {
  it('visits the pairs of present rows at their upper-triangle index from the offset', () => {
    const rows = ['a', undefined, 'c', 'd', undefined];
    const first = 3 * pairCount(rows.length);
    const seen: [number, string, string][] = [];
    forEachPresentPair(rows.length, rows, first, (k, x, y) => seen.push([k, x, y]));
    const expected = [
      ['a', 'c'],
      ['a', 'd'],
      ['c', 'd'],
    ].map(([x, y]) => [first + pairIndex(rows.length, rows.indexOf(x), rows.indexOf(y)), x, y]);
    expect(seen).toEqual(expected);
  });
});
