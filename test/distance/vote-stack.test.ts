import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/core/random.js';
import { nearestNeighbourVotes } from '../../src/distance/nearest-neighbour.js';
import {
  averageOverProbes,
  emptyStack,
  pairCount,
  pairIndex,
  type ProbeDistanceStack,
  upperTriangle,
} from '../../src/distance/probe-stack.js';
import { averageVotes, nearestNeighbourVoteStack, type ProbeDistanceSource } from '../../src/distance/vote-stack.js';

/** A dense stack of random per-probe distances with gaps, and the same data as a source one probe at a time. */
function randomRun(n: number, probes: number, seed: number, levels?: number) {
  const rng = seededRng(seed);
  const labels = Array.from({ length: n }, (_, i) => `m${i}`);
  const ids = Array.from({ length: probes }, (_, p) => `p${p}`);
  // Most models answer most probes; probe 0 has a single answer, model n-1 answers only every third probe.
  const answered = Array.from({ length: probes }, (_, p) =>
    Array.from({ length: n }, (_, m) => (p === 0 ? m === 0 : m === n - 1 ? p % 3 === 0 : rng() > 0.15)),
  );
  const dense: ProbeDistanceStack = emptyStack(labels, ids, 'embed', 'cosine');
  const pairs = pairCount(n);
  for (let p = 0; p < probes; p++) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (!answered[p]![i] || !answered[p]![j]) continue;
        // With `levels`, distances take few values, so nearest neighbours tie and votes split.
        const d = levels ? Math.floor(rng() * levels) / levels : rng();
        dense.distances[p * pairs + pairIndex(n, i, j)] = d;
        dense.present[p * pairs + pairIndex(n, i, j)] = 1;
      }
    }
  }
  const source: ProbeDistanceSource = {
    labels,
    probes: ids,
    signal: 'embed',
    metric: 'cosine',
    fill: (p, distances, present, row) => {
      for (let m = 0; m < n; m++) if (answered[p]![m]) row[m] = 1;
      distances.set(dense.distances.subarray(p * pairs, (p + 1) * pairs));
      present.set(dense.present.subarray(p * pairs, (p + 1) * pairs));
    },
  };
  return { dense, source, rng };
}

function bootstrapWeights(rng: () => number, probes: number): Int32Array {
  const w = new Int32Array(probes);
  for (let k = 0; k < probes; k++) w[Math.floor(rng() * probes)]!++;
  return w;
}

describe('sparse nearest-neighbour votes', () => {
  it('give exactly the dense votes mean when no vote is split, for the full data and bootstrap draws', () => {
    const { dense, source, rng } = randomRun(12, 40, 7);
    const votes = nearestNeighbourVoteStack(source);
    const denseVotes = nearestNeighbourVotes(dense);
    const full = averageOverProbes(denseVotes);
    expect(Array.from(averageVotes(votes).values)).toEqual(Array.from(full.values));
    expect(averageVotes(votes).metric).toBe(denseVotes.metric);
    const fallback = upperTriangle(full);
    for (let r = 0; r < 20; r++) {
      const w = bootstrapWeights(rng, 40);
      expect(Array.from(averageVotes(votes, w, upperTriangle(averageVotes(votes))).values)).toEqual(
        Array.from(averageOverProbes(denseVotes, w, fallback).values),
      );
    }
  });

  it('agree with the dense votes to rounding when ties split votes, with gaps and the largest-mean fallback', () => {
    const { dense, source, rng } = randomRun(10, 25, 11, 4);
    const votes = nearestNeighbourVoteStack(source);
    const denseVotes = nearestNeighbourVotes(dense);
    // Some votes are split three or more ways (shares that are not exact binary fractions).
    expect(Array.from(votes.distance).some((d) => (d * 4) % 1 !== 0)).toBe(true);
    for (let r = 0; r < 20; r++) {
      const w = r === 0 ? undefined : bootstrapWeights(rng, 25);
      const a = averageVotes(votes, w).values;
      const b = averageOverProbes(denseVotes, w).values;
      for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(b[k]!, 12);
    }
  });

  it('keep about one entry per model and probe, not one per pair', () => {
    const { source } = randomRun(40, 10, 3);
    const votes = nearestNeighbourVoteStack(source);
    expect(votes.pair.length).toBeLessThanOrEqual(40 * 10);
    expect(votes.pair.length).toBeGreaterThan(0);
    expect(votes.start[10]).toBe(votes.pair.length);
  });
});
