// What every signal gives the pipeline: a distance matrix for any weighting of the run's probes (a bootstrap replicate
// re-weights per-probe distances computed once), with a line of information on how it was made.
import type { DistanceMatrix } from '../core/matrix.js';
import { averageOverProbes, upperTriangle, type ProbeDistanceStack } from '../distance/probe-stack.js';
import { averageVotes, type VoteStack } from '../distance/vote-stack.js';

export interface SignalInfo {
  /** The signal's name in the registry (src/analysis/signals/index.ts). */
  readonly signal: string;
  readonly metric: string;
  /** Probes (genes, for alleles) the signal uses. */
  readonly probes: number;
  readonly seconds: number;
  readonly note?: string;
}

/** One signal, ready to give a matrix for any weighting of the run's probes. */
export interface SignalModel {
  readonly info: SignalInfo;
  /** `weights[p]` over the response table's probes (a replicate's draw counts); undefined = every probe once. */
  matrix(weights?: ArrayLike<number>): DistanceMatrix;
  /** The signals a combination is made of (absent for a single signal). */
  readonly parts?: readonly SignalModel[];
}

/** A signal whose per-probe distances are a stack: the mean over probes, re-weighted per replicate. */
export function stackModel(stack: ProbeDistanceStack, info: SignalInfo): SignalModel {
  const full = averageOverProbes(stack);
  const fallback = upperTriangle(full);
  return { info, matrix: (w) => (w ? averageOverProbes(stack, w, fallback) : full) };
}

/**
 * A signal whose per-probe distances are sparse nearest-neighbour votes: the same means as stackModel, from the
 * votes.
 */
export function voteModel(stack: VoteStack, info: SignalInfo): SignalModel {
  const full = averageVotes(stack);
  const fallback = upperTriangle(full);
  return { info, matrix: (w) => (w ? averageVotes(stack, w, fallback) : full) };
}
