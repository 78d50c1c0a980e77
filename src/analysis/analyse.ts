// The analysis pipeline: a stored run -> phenotype -> per-probe distances -> matrix -> tree -> bootstrap support over
// probes. Pure: it reads the RunData it is given and never queries a model.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { answeredCounts, responseTable, type ResponseTable } from '../phenotype/responses.js';
import {
  bootstrapReplicates,
  bootstrapSupport,
  buildTree,
  isTreeMethod,
  midpointRoot,
  outgroupRoot,
  TREE_METHODS,
  type Tree,
  type TreeMethod,
} from '../phylo/index.js';
import type { RunData } from '../core/run.js';
import {
  allelesSignal,
  combinedSignal,
  DEFAULT_COMBINE_WEIGHTS,
  DEFAULT_EMBED,
  embedSignal,
  logprobsSignal,
  SIGNALS,
  traitsSignal,
  type AlleleMetric,
  type CombineWeights,
  type EmbedOptions,
  type Signal,
  type SignalInfo,
  type SignalModel,
} from './signals.js';
import { hasRepeatedSamples } from '../phenotype/alleles.js';
import { hasTopLogprobs } from '../phenotype/logprob-profile.js';
import type { LogprobMetric } from '../distance/logprob-jensen-shannon.js';

/**
 * The method each signal builds its tree with unless told otherwise. The embed signal's nearest-neighbour vote
 * distances are a similarity (most unrelated pairs sit at 1), not an additive tree metric, and average linkage
 * (UPGMA) groups them best (13 of 14 AlpacaEval families against 12 for NJ and BIONJ; BME also gets 13 but costs 0.7 s
 * a tree); the combination is dominated by them. Traits and alleles are distance-like and get neighbor joining (as
 * PhyloLM does for Nei's D). Logprobs (mean JS divergence of first-token distributions) get BIONJ: on the lab zoo
 * (12 leaves, known lineage) its normalized RF is 0.333 / 0.222 at 70 / 212 queries per model, against 0.444 / 0.444
 * for NJ, 0.556 / 0.333 for UPGMA and 0.444 / 0.222 for BME (which costs more).
 */
export const DEFAULT_METHOD: Readonly<Record<Signal, TreeMethod>> = {
  embed: 'upgma',
  traits: 'nj',
  alleles: 'nj',
  logprobs: 'bionj',
  combined: 'upgma',
};
export const DEFAULT_SIGNAL: Signal = 'embed';

export interface AnalysisOptions {
  readonly signal?: Signal;
  readonly method?: TreeMethod;
  /** Bootstrap replicates over probes; 0 = none (no support values). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** `midpoint`, a model label (outgroup), or undefined to leave the tree as the method returns it. */
  readonly root?: string;
  readonly embed?: EmbedOptions;
  readonly alleleMetric?: AlleleMetric;
  readonly logprobMetric?: LogprobMetric;
  readonly combineWeights?: CombineWeights;
  /** Called with a short stage name as the analysis proceeds (the CLI prints it on stderr). */
  readonly onProgress?: (stage: string) => void;
}

export interface AnalysisTimings {
  readonly phenotype: number;
  readonly tree: number;
  readonly bootstrap: number;
  readonly total: number;
}

export interface AnalysisResult {
  readonly signal: Signal;
  readonly method: TreeMethod;
  readonly matrix: DistanceMatrix;
  /** With support on internal branches when bootstrap > 0, rooted as asked. */
  readonly tree: Tree;
  readonly bootstrap: number;
  readonly seed: number;
  readonly root?: string;
  readonly models: number;
  readonly probes: number;
  readonly perSignal: readonly SignalInfo[];
  /** Seconds per stage. */
  readonly timings: AnalysisTimings;
  /** Plain statements about the data the user should know (models with gaps, empty answers...). */
  readonly warnings: readonly string[];
}

export function isSignal(s: string): s is Signal {
  return (SIGNALS as readonly string[]).includes(s);
}

function missingDataWarnings(table: ResponseTable): string[] {
  const counts = answeredCounts(table);
  const n = table.models.length;
  const out: string[] = [];
  table.models.forEach((m, i) => {
    if (counts[i]! < table.probes.length) {
      out.push(
        `${m} answered ${counts[i]} of ${table.probes.length} probes; its distances average over the probes both models answered`,
      );
    }
    let empty = 0;
    for (let p = 0; p < table.probes.length; p++) for (const t of table.cells[p * n + i]!) if (t.trim() === '') empty++;
    if (empty > 0) out.push(`${m} gave ${empty} empty answer(s); they count as answers (far from any text)`);
  });
  return out;
}

function root(tree: Tree, how: string | undefined, labels: readonly string[]): Tree {
  if (how === undefined) return tree;
  if (how === 'midpoint') return midpointRoot(tree);
  if (!labels.includes(how))
    throw new InputError(`--root ${how}: not a model of this run; use midpoint or one of: ${labels.join(', ')}`);
  return outgroupRoot(tree, how);
}

/** Build the signal models an analysis of `signal` needs. */
function signalModels(
  data: RunData,
  table: ResponseTable,
  signal: Signal,
  options: AnalysisOptions,
): { model: SignalModel; parts: SignalModel[] } {
  if (signal === 'embed') {
    const m = embedSignal(table, options.embed ?? DEFAULT_EMBED);
    return { model: m, parts: [m] };
  }
  if (signal === 'traits') {
    const m = traitsSignal(table);
    return { model: m, parts: [m] };
  }
  if (signal === 'alleles') {
    const m = allelesSignal(table, options.alleleMetric);
    return { model: m, parts: [m] };
  }
  if (signal === 'logprobs') {
    const m = logprobsSignal(data, table, options.logprobMetric);
    return { model: m, parts: [m] };
  }
  const weights = options.combineWeights ?? DEFAULT_COMBINE_WEIGHTS;
  const parts: SignalModel[] = [];
  if (weights.embed > 0) parts.push(embedSignal(table, options.embed ?? DEFAULT_EMBED));
  if (weights.traits > 0) parts.push(traitsSignal(table));
  // Alleles join the combination only when the run has genes (repeated samples); otherwise they are simply absent.
  if (weights.alleles > 0 && hasRepeatedSamples(table)) parts.push(allelesSignal(table, options.alleleMetric));
  // Likewise logprobs, only when the run was collected with top logprobs.
  if (weights.logprobs > 0 && hasTopLogprobs(data)) parts.push(logprobsSignal(data, table, options.logprobMetric));
  return { model: combinedSignal(parts, weights), parts };
}

/** Analyse a run: the matrix of the chosen signal, its tree, and bootstrap support over probes. */
export function analyseRun(data: RunData, options: AnalysisOptions = {}): AnalysisResult {
  const t0 = performance.now();
  const signal = options.signal ?? DEFAULT_SIGNAL;
  if (!isSignal(signal)) throw new InputError(`--signal ${signal}: use one of ${SIGNALS.join(', ')}`);
  const method = options.method ?? DEFAULT_METHOD[signal];
  if (!isTreeMethod(method)) throw new InputError(`--method ${method}: use one of ${TREE_METHODS.join(', ')}`);
  const bootstrap = options.bootstrap ?? 0;
  if (!Number.isInteger(bootstrap) || bootstrap < 0)
    throw new InputError(`--bootstrap ${bootstrap}: give a whole number of replicates >= 0`);
  const seed = options.seed ?? 1;
  const progress = options.onProgress ?? (() => {});

  const table = responseTable(data);
  if (table.models.length < 3)
    throw new InputError(`run ${data.run.name}: ${table.models.length} model(s) with answers; a tree needs at least 3`);
  if (table.probes.length === 0) throw new InputError(`run ${data.run.name}: no successful sample to analyse`);
  const warnings = missingDataWarnings(table);

  progress(`phenotype (${signal}) of ${table.models.length} models x ${table.probes.length} probes`);
  const { model, parts } = signalModels(data, table, signal, options);
  const matrix = model.matrix();
  const t1 = performance.now();

  progress(`tree (${method})`);
  let tree = buildTree(method, matrix);
  const t2 = performance.now();

  if (bootstrap > 0) {
    progress(`bootstrap: ${bootstrap} replicates over ${table.probes.length} probes`);
    const replicates = bootstrapReplicates({
      columns: table.probes.length,
      replicates: bootstrap,
      seed,
      build: (counts) => buildTree(method, model.matrix(counts)),
    });
    tree = bootstrapSupport(tree, replicates);
  }
  const t3 = performance.now();
  tree = root(tree, options.root, matrix.labels);

  return {
    signal,
    method,
    matrix,
    tree,
    bootstrap,
    seed,
    root: options.root,
    models: table.models.length,
    probes: table.probes.length,
    perSignal: parts.map((p) => p.info),
    timings: {
      phenotype: (t1 - t0) / 1000,
      tree: (t2 - t1) / 1000,
      bootstrap: (t3 - t2) / 1000,
      total: (performance.now() - t0) / 1000,
    },
    warnings,
  };
}
