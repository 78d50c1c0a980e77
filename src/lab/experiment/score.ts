// Scoring estimated trees against the zoo's known lineage: Robinson-Foulds distance and the mean bootstrap support of
// true and false splits, for every phenotype signal and tree method, and as the query budget grows. The trees come
// from the analysis pipeline (src/analysis/analysed-run.ts), as `phylo tree` builds them, sharing its work.
import { analyseRunLazily, type AnalysedRun } from '../../analysis/analysed-run.js';
import { TEXT_SIGNALS, type Signal } from '../../analysis/signals/index.js';
import { InputError } from '../../core/errors.js';
import type { RunData } from '../../core/run.js';
import {
  compareSplits,
  robinsonFoulds,
  TREE_METHODS,
  writeNewick,
  type Tree,
  type TreeMethod,
} from '../../phylo/index.js';
import { subsetRun } from './zoo-run.js';

export interface TreeScore {
  readonly signal: string;
  readonly metric: string;
  readonly method: TreeMethod;
  readonly rf: number;
  readonly normalized: number;
  readonly max: number;
  /** Mean bootstrap support of the estimated tree's splits that are in the truth, and of those that are not. */
  readonly supportTrue?: number;
  readonly supportFalse?: number;
  readonly newick: string;
}

/** An estimated tree's distance to the truth and the support of its true and false splits. */
export function scoreTree(tree: Tree, truth: Tree, signal: string, metric: string, method: TreeMethod): TreeScore {
  const rf = robinsonFoulds(tree, truth);
  const cmp = compareSplits(tree, truth);
  const mean = (xs: (number | undefined)[]) => {
    const v = xs.filter((x): x is number => x !== undefined);
    return v.length === 0 ? undefined : v.reduce((a, b) => a + b, 0) / v.length;
  };
  const supportTrue = mean(cmp.shared.map((s) => s.support));
  const supportFalse = mean(cmp.onlyA.map((s) => s.support));
  return {
    signal,
    metric,
    method,
    ...rf,
    ...(supportTrue !== undefined ? { supportTrue } : {}),
    ...(supportFalse !== undefined ? { supportFalse } : {}),
    newick: writeNewick(tree),
  };
}

/** The run analysed, or undefined when it cannot give a tree (fewer than 3 models, nothing answered). */
function analysedOrNone(data: RunData): AnalysedRun | undefined {
  try {
    return analyseRunLazily(data);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return undefined;
  }
}

/** `f()`, or undefined when the run cannot give what it asks (a signal it lacks). */
function unlessUnavailable<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return undefined;
  }
}

/** Every phenotype signal by every tree method, with bootstrap support over probes. */
export function phenotypeScores(data: RunData, truth: Tree, bootstrap: number, seed: number): TreeScore[] {
  const run = analysedOrNone(data);
  if (!run) return [];
  const out: TreeScore[] = [];
  for (const signal of TEXT_SIGNALS) {
    for (const method of TREE_METHODS) {
      const tree = unlessUnavailable(() => run.tree({ signal, method, bootstrap, seed }));
      if (tree) out.push(scoreTree(tree, truth, signal, run.matrix(signal).metric, method));
    }
  }
  return out;
}

/** Every tree method on a logprob run, through a logprob signal of the analysis (as `phylo tree` builds it). */
export function logprobScores(
  data: RunData,
  truth: Tree,
  label: string,
  bootstrap: number,
  seed: number,
  signal: Signal = 'logprobs',
): TreeScore[] {
  const run = analyseRunLazily(data);
  return TREE_METHODS.map((method) =>
    scoreTree(run.tree({ signal, method, bootstrap, seed }), truth, label, run.matrix(signal).metric, method),
  );
}

export interface BudgetPoint {
  /** Queries per model. */
  readonly queries: number;
  readonly probes: string;
  readonly samplesPerProbe: number;
  /** Mean normalized RF over the draws, per signal (undefined where the signal cannot be computed). */
  readonly normalized: Partial<Record<Signal, number>>;
}

/**
 * The budget curve: normalized RF of each signal's tree (default method) as queries per model grow, by more samples
 * per probe (all probes) and by more probes (all samples; a mean over seeded random probe subsets).
 */
export function budgetCurve(data: RunData, truth: Tree, seed: number, draws = 5): BudgetPoint[] {
  const models = new Set(data.samples.map((s) => s.model)).size;
  const maxSamples = Math.max(...data.run.suite.probes.map((p) => p.samples ?? data.run.samples));
  const probeIds = data.run.suite.probes.map((p) => String(p.id));
  const points: BudgetPoint[] = [];
  const evalAt = (subsets: (ReadonlySet<string> | undefined)[], k: number, label: string) => {
    const normalized: Partial<Record<Signal, number>> = {};
    let queries = 0;
    const values = new Map<Signal, number[]>(TEXT_SIGNALS.map((s) => [s, []]));
    for (const subset of subsets) {
      const d = subsetRun(data, subset, k);
      queries = d.samples.length / models;
      // One analysed run per subset: the combined signal reuses the others' models.
      const run = analysedOrNone(d);
      for (const signal of TEXT_SIGNALS) {
        const tree = run && unlessUnavailable(() => run.tree({ signal }));
        if (tree) values.get(signal)!.push(robinsonFoulds(tree, truth).normalized);
      }
    }
    for (const [signal, vals] of values)
      if (vals.length > 0) normalized[signal] = vals.reduce((a, b) => a + b, 0) / vals.length;
    points.push({ queries, probes: label, samplesPerProbe: k, normalized });
  };
  for (let k = 1; k < maxSamples; k *= 2) evalAt([undefined], k, 'all');
  for (const fraction of [0.25, 0.5]) {
    const subsets: Set<string>[] = [];
    let state = seed >>> 0;
    for (let d = 0; d < draws; d++) {
      // Seeded shuffle (LCG): a different subset per draw, the same on every run.
      const ids = [...probeIds];
      for (let i = ids.length - 1; i > 0; i--) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const j = state % (i + 1);
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
      subsets.push(new Set(ids.slice(0, Math.max(3, Math.round(fraction * ids.length)))));
    }
    evalAt(subsets, maxSamples, `${Math.round(fraction * 100)}% (mean of ${draws} draws)`);
  }
  evalAt([undefined], maxSamples, 'all');
  return points.sort((a, b) => a.queries - b.queries);
}
