// Nearest-neighbour vote distances (./nearest-neighbour.ts) kept sparse. On one probe each model votes for about one
// other, so of a probe's n(n-1)/2 pairs only ~n are below 1: storing just those, and which models answered, makes a
// run of 500 models x 1,000 probes a few megabytes instead of the 1 GB of a dense stack, and a bootstrap replicate
// (Felsenstein 1985, probes as characters) a pass over the votes instead of over every pair of every probe.
import { makeDistanceMatrix, type DistanceMatrix } from '../core/matrix.js';
import { castVotes } from './nearest-neighbour.js';
import { pairCount, pairIndex } from './probe-stack.js';
import { castRankVotes, NEAREST_ONLY, neighbourVotesName, rankWeights, type NeighbourVotes } from './rank-votes.js';

export interface VoteStack {
  readonly labels: readonly string[];
  readonly probes: readonly string[];
  /** `answered[p * n + m]` = 1 where model m answered probe p; a pair is present on p where both did. */
  readonly answered: Uint8Array;
  /** The votes of probe p are entries start[p] .. start[p + 1] - 1. */
  readonly start: Int32Array;
  /** Pair index (pairIndex) and d_p of each entry; every other present pair of the probe is at distance 1. */
  readonly pair: Int32Array;
  readonly distance: Float64Array;
  readonly signal: string;
  readonly metric: string;
}

/** Where the per-probe distances come from: `fill(p, distances, answered)` writes probe p's pair distances. */
export interface ProbeDistanceSource {
  readonly labels: readonly string[];
  readonly probes: readonly string[];
  readonly signal: string;
  readonly metric: string;
  /**
   * Probe p into arrays zeroed before the call: `answered[m]` = 1 for each model that answered it, and for each pair
   * k = pairIndex(n, i, j) of them `present[k]` = 1 and `distances[k]` (other entries are not read).
   */
  fill(p: number, distances: Float64Array, present: Uint8Array, answered: Uint8Array): void;
}

/**
 * The same votes as nearestNeighbourVotes (or rankVotes, when a model's vote is spread over its `votes.neighbours`
 * nearest), one probe at a time, so no per-probe distance outlives its probe.
 */
export function nearestNeighbourVoteStack(
  source: ProbeDistanceSource,
  tolerance = 1e-12,
  votes: NeighbourVotes = NEAREST_ONLY,
): VoteStack {
  const weights = rankWeights(votes);
  const n = source.labels.length;
  const probes = source.probes.length;
  const distances = new Float64Array(pairCount(n));
  const present = new Uint8Array(pairCount(n));
  const row = new Uint8Array(n);
  const answered = new Uint8Array(probes * n);
  const start = new Int32Array(probes + 1);
  // d_p per pair of the current probe: 1 until voted for (touched), then reset after the probe.
  const voted = new Float64Array(pairCount(n)).fill(1);
  const touched: number[] = [];
  let pair = new Int32Array(Math.max(16, 2 * n));
  let distance = new Float64Array(pair.length);
  let entries = 0;
  for (let p = 0; p < probes; p++) {
    row.fill(0);
    present.fill(0);
    source.fill(p, distances, present, row);
    answered.set(row, p * n);
    touched.length = 0;
    const vote = (i: number, j: number, share: number) => {
      const k = pairIndex(n, i, j);
      if (voted[k] === 1) touched.push(k);
      // Subtracted in the order nearestNeighbourVotes (rankVotes) does, so d_p is the same number.
      voted[k]! -= share;
    };
    if (weights.length === 1) castVotes(n, distances, present, 0, tolerance, vote);
    else castRankVotes(n, distances, present, 0, weights, tolerance, vote);
    if (entries + touched.length > pair.length) {
      const size = Math.max(pair.length * 2, entries + touched.length);
      const biggerPair = new Int32Array(size);
      biggerPair.set(pair.subarray(0, entries));
      const biggerDistance = new Float64Array(size);
      biggerDistance.set(distance.subarray(0, entries));
      pair = biggerPair;
      distance = biggerDistance;
    }
    for (const k of touched) {
      pair[entries] = k;
      distance[entries++] = voted[k]!;
      voted[k] = 1;
    }
    start[p + 1] = entries;
  }
  return {
    labels: source.labels,
    probes: source.probes,
    answered,
    start,
    pair: pair.slice(0, entries),
    distance: distance.slice(0, entries),
    signal: source.signal,
    metric: `${neighbourVotesName(votes)}(${source.metric})`,
  };
}

/**
 * The mean over probes of each pair's vote distance, probe p weighted by `weights[p]` (all 1 by default), over the
 * probes both models answered: averageOverProbes of the dense stack, computed from the votes. The weight a pair shares
 * is the total less what either model missed plus what both missed; its sum is that weight (every present probe at
 * 1) corrected by the voted probes. A pair with no shared probe in this draw takes `fallback` (the full-data mean) or,
 * without one, the largest mean seen.
 */
export function averageVotes(stack: VoteStack, weights?: ArrayLike<number>, fallback?: Float64Array): DistanceMatrix {
  const n = stack.labels.length;
  const pairs = pairCount(n);
  const missed = new Float64Array(n);
  const bothMissed = new Float64Array(pairs);
  const votedWeight = new Float64Array(pairs);
  const votedSum = new Float64Array(pairs);
  const missing: number[] = [];
  let total = 0;
  for (let p = 0; p < stack.probes.length; p++) {
    const w = weights ? weights[p]! : 1;
    if (w === 0) continue;
    total += w;
    missing.length = 0;
    const o = p * n;
    for (let m = 0; m < n; m++) if (stack.answered[o + m] === 0) missing.push(m);
    for (let a = 0; a < missing.length; a++) {
      missed[missing[a]!]! += w;
      for (let b = a + 1; b < missing.length; b++) bothMissed[pairIndex(n, missing[a]!, missing[b]!)]! += w;
    }
    for (let e = stack.start[p]!; e < stack.start[p + 1]!; e++) {
      const k = stack.pair[e]!;
      votedWeight[k]! += w;
      votedSum[k]! += w * stack.distance[e]!;
    }
  }
  const shared = new Float64Array(pairs);
  const sum = new Float64Array(pairs);
  let max = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      shared[k] = total - missed[i]! - missed[j]! + bothMissed[k]!;
      sum[k] = shared[k]! - votedWeight[k]! + votedSum[k]!;
      if (shared[k]! > 0) max = Math.max(max, sum[k]! / shared[k]!);
    }
  }
  const values = new Float64Array(n * n);
  k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      const d = shared[k]! > 0 ? sum[k]! / shared[k]! : fallback ? fallback[k]! : max;
      values[i * n + j] = d;
      values[j * n + i] = d;
    }
  }
  return makeDistanceMatrix(stack.labels, values, stack.signal, stack.metric);
}
