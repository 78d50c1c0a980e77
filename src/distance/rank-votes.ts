// Rank-weighted nearest-neighbour votes: on each probe every model spreads one vote over its k nearest answers,
// weighted by rank (rank 1 most), instead of giving it all to the single nearest (./nearest-neighbour.ts, k = 1).
// It keeps the scale-free, per-probe view of the nearest-neighbour vote and lets the second and third nearest count,
// as in rank-based shared-neighbour similarities (Jarvis & Patrick 1973; Houle et al. 2010).
import { emptyStack, neighboursByDistance, pairCount, pairIndex, type ProbeDistanceStack } from './probe-stack.js';

/** The weight of rank 1, 2, ... of a model's nearest answers on one probe (relative; scaled so a model casts 1/2). */
export type RankWeights = readonly number[];

/** How a model's vote is spread over its k nearest: `harmonic` 1, 1/2, ..., 1/k; `flat` equally. */
export type RankWeighting = 'harmonic' | 'flat';

export interface NeighbourVotes {
  /** How many nearest answers share a model's vote on a probe (1: the plain nearest-neighbour vote). */
  readonly neighbours: number;
  readonly weighting: RankWeighting;
}

/** The plain nearest-neighbour vote. */
export const NEAREST_ONLY: NeighbourVotes = { neighbours: 1, weighting: 'flat' };

export function rankWeights(votes: NeighbourVotes): number[] {
  if (!Number.isInteger(votes.neighbours) || votes.neighbours < 1)
    throw new Error(`neighbour votes: ${votes.neighbours} neighbours; use a whole number of at least 1`);
  return Array.from({ length: votes.neighbours }, (_, r) => (votes.weighting === 'harmonic' ? 1 / (r + 1) : 1));
}

/** A short name for metric labels: `nn-vote` for the nearest only, else e.g. `nn-vote3-harmonic`. */
export function neighbourVotesName(votes: NeighbourVotes): string {
  return votes.neighbours === 1 ? 'nn-vote' : `nn-vote${votes.neighbours}-${votes.weighting}`;
}

/**
 * The votes of one probe: for each model i, its other present models sorted by distance; rank r gets
 * `weights[r] / sum(weights) / 2`. Models tied within `tolerance` share equally the weights of the ranks they span
 * (as average ranks do), so the result never depends on model order; with one weight it is castVotes exactly.
 * Pair k = pairIndex(n, i, j) is read at `distances[offset + k]` where `present[offset + k]` is 1.
 */
export function castRankVotes(
  n: number,
  distances: Float64Array,
  present: Uint8Array,
  offset: number,
  weights: RankWeights,
  tolerance: number,
  vote: (i: number, j: number, share: number) => void,
): void {
  const total = weights.reduce((a, b) => a + b, 0);
  const others: number[] = [];
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    neighboursByDistance(n, distances, present, offset, i, d, others);
    let rank = 0;
    while (rank < weights.length && rank < others.length) {
      // The run of models tied with the one at `rank`.
      let end = rank + 1;
      while (end < others.length && d[others[end]!]! <= d[others[rank]!]! + tolerance) end++;
      let sum = 0;
      for (let r = rank; r < Math.min(end, weights.length); r++) sum += weights[r]!;
      const share = sum / total / 2 / (end - rank);
      for (let r = rank; r < end; r++) vote(i, others[r]!, share);
      rank = end;
    }
  }
}

/**
 * Per-probe rank-weighted vote distances: d_p(i, j) = 1 - (vote_p(i -> j) + vote_p(j -> i)), in [0, 1], present
 * where the original is. With weights [1] it equals nearestNeighbourVotes.
 */
export function rankVotes(stack: ProbeDistanceStack, votes: NeighbourVotes, tolerance = 1e-12): ProbeDistanceStack {
  const n = stack.labels.length;
  const pairs = pairCount(n);
  const weights = rankWeights(votes);
  const out = emptyStack(stack.labels, stack.probes, stack.signal, `${neighbourVotesName(votes)}(${stack.metric})`);
  out.present.set(stack.present);
  out.distances.fill(1);
  for (let p = 0; p < stack.probes.length; p++) {
    const o = p * pairs;
    castRankVotes(n, stack.distances, stack.present, o, weights, tolerance, (i, j, share) => {
      out.distances[o + pairIndex(n, i, j)]! -= share;
    });
  }
  return out;
}
