// Scoring and choosing configurations for the leave-one-family-out benchmark (./lofo.ts). A configuration is a
// candidate matrix and a tree method; it is scored on the families a fold admits by clades recovered, then 1-NN family
// accuracy by patristic distance, then 1-NN in the matrix. The held-out family's labels never enter the choice.
// Scored on the full data, one model's placement can decide between configurations; scored as the mean over
// bootstrap replicates of the probes (bagging the criterion, Breiman 1996), the choice rests on what is stable.
import type { DistanceMatrix } from '../core/matrix.js';
import {
  buildTree,
  familyClades,
  nearestNeighbourAccuracy,
  patristicDistances,
  type TreeMethod,
} from '../phylo/index.js';
import type { Candidate } from './lofo-candidates.js';

export type Families = ReadonlyMap<string, string>;

export interface Outcome {
  readonly variant: string;
  readonly method: TreeMethod;
  /** Per family (of at least two members): 1 if a clade of the unrooted tree (the share of trees, over replicates). */
  readonly recovered: ReadonlyMap<string, number>;
  /** Per model whose family has another member: 1 if its nearest model by patristic distance is of its family. */
  readonly nnTree: ReadonlyMap<string, number>;
  /** The same by the matrix (the signal alone, before any tree). */
  readonly nnMatrix: ReadonlyMap<string, number>;
}

/** Families recovered as clades (in the one tree of a full-data outcome). */
export const cladesOf = (o: Outcome) => [...o.recovered.values()].filter((x) => x === 1).length;
export const recovers = (o: Outcome, family: string) => o.recovered.get(family) === 1;

export const label = (o: Outcome) => `${o.variant} / ${o.method}`;

function evaluateMatrix(name: string, matrix: DistanceMatrix, method: TreeMethod, families: Families): Outcome {
  const tree = buildTree(method, matrix);
  const nn = nearestNeighbourAccuracy(patristicDistances(tree), families);
  const one = (ok: boolean) => (ok ? 1 : 0);
  return {
    variant: name,
    method,
    recovered: new Map(familyClades(tree, families).map((c) => [c.family, one(c.isClade)])),
    nnTree: new Map(nn.calls.map((c) => [c.model, one(c.correct)])),
    nnMatrix: new Map(nearestNeighbourAccuracy(matrix, families).calls.map((c) => [c.model, one(c.correct)])),
  };
}

/** The candidate's full-data matrix and tree. */
export function evaluate(candidate: Candidate, method: TreeMethod, families: Families): Outcome {
  return evaluateMatrix(candidate.name, candidate.matrix, method, families);
}

/** The mean outcome over the candidate's bootstrap replicates: shares of trees, not 0 or 1. */
export function evaluateBagged(candidate: Candidate, method: TreeMethod, families: Families): Outcome {
  const each = candidate.replicates.map((m) => evaluateMatrix(candidate.name, m, method, families));
  const mean = (pick: (o: Outcome) => ReadonlyMap<string, number>) => {
    const out = new Map<string, number>();
    for (const o of each) for (const [k, v] of pick(o)) out.set(k, (out.get(k) ?? 0) + v / each.length);
    return out;
  };
  return {
    variant: candidate.name,
    method,
    recovered: mean((o) => o.recovered),
    nnTree: mean((o) => o.nnTree),
    nnMatrix: mean((o) => o.nnMatrix),
  };
}

/** Mean correctness among the models of the families `keep` admits. */
function accuracyOn(calls: ReadonlyMap<string, number>, keep: (f: string) => boolean, families: Families): number {
  let correct = 0;
  let total = 0;
  for (const [model, ok] of calls) {
    if (!keep(families.get(model)!)) continue;
    total++;
    correct += ok;
  }
  return total === 0 ? 0 : correct / total;
}

/** The selection criterion on the families `keep` admits: clades, then 1-NN in the tree, then 1-NN in the matrix. */
function scoreOn(o: Outcome, keep: (family: string) => boolean, families: Families): number[] {
  let clades = 0;
  for (const [family, share] of o.recovered) if (keep(family)) clades += share;
  return [clades, accuracyOn(o.nnTree, keep, families), accuracyOn(o.nnMatrix, keep, families)];
}

// Bagged scores are sums of shares: equal up to rounding counts as equal.
const TIE = 1e-9;
const better = (a: readonly number[], b: readonly number[]) => {
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) >= TIE) return a[i]! > b[i]!;
  return false;
};
const same = (a: readonly number[], b: readonly number[]) => a.every((x, i) => Math.abs(x - b[i]!) < TIE);

/** The outcomes scoring best on the families `keep` admits (all of them when tied), in table order. */
export function best(outcomes: readonly Outcome[], keep: (f: string) => boolean, families: Families): Outcome[] {
  let top = scoreOn(outcomes[0]!, keep, families);
  for (const o of outcomes) {
    const s = scoreOn(o, keep, families);
    if (better(s, top)) top = s;
  }
  return outcomes.filter((o) => same(scoreOn(o, keep, families), top));
}

export interface FoldChoice {
  readonly family: string;
  /** The first of the tied best on the other families (table order: the incumbent default first). */
  readonly pick: Outcome;
  readonly tied: number;
  /** Mean over the tied choices of their recovery of the held-out family (0 or 1 each on full data). */
  readonly recoveringShare: number;
}

/** For each family, the configuration best on the others, and whether it recovers the held-out one. */
export function leaveOneFamilyOut(
  outcomes: readonly Outcome[],
  familyNames: readonly string[],
  families: Families,
): FoldChoice[] {
  return familyNames.map((family) => {
    const tied = best(outcomes, (g) => g !== family, families);
    const recoveringShare = tied.reduce((a, o) => a + (o.recovered.get(family) ?? 0), 0) / tied.length;
    return { family, pick: tied[0]!, tied: tied.length, recoveringShare };
  });
}

export const share = (calls: ReadonlyMap<string, number>) =>
  [...calls.values()].reduce((a, b) => a + b, 0) / calls.size;
