// The analysis as one call: a stored run -> phenotype -> per-probe distances -> matrix -> tree -> bootstrap support
// over probes, for `phylo tree`, the demo and the lab experiment. A thin function over the analysed run
// (./analysed-run.ts), which the TUI and reports use directly to share work between several trees.
import type { DistanceMatrix } from '../core/matrix.js';
import type { Tree, TreeMethod } from '../phylo/index.js';
import type { RunData } from '../core/run.js';
import { AnalysedRun, checkTreeRequest, type AnalysedRunOptions } from './analysed-run.js';
import type { SignalInfo } from './signal-model.js';
import { DEFAULT_SIGNAL, type Signal } from './signals/index.js';

export interface AnalysisOptions extends AnalysedRunOptions {
  readonly signal?: Signal;
  readonly method?: TreeMethod;
  /** Bootstrap replicates over probes; 0 = none (no support values). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** `midpoint`, a model label (outgroup), or undefined to leave the tree as the method returns it. */
  readonly root?: string;
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

/** Analyse a run: the matrix of the chosen signal, its tree, and bootstrap support over probes. */
export function analyseRun(data: RunData, options: AnalysisOptions = {}): AnalysisResult {
  const t0 = performance.now();
  const request = checkTreeRequest({ ...options, signal: options.signal ?? DEFAULT_SIGNAL });
  const { signal, method, bootstrap, seed } = request;
  const run = new AnalysedRun(data, options);
  const model = run.signalModel(signal);
  const matrix = run.matrix(signal);
  const t1 = performance.now();
  run.tree({ signal, method });
  const t2 = performance.now();
  run.tree({ signal, method, bootstrap, seed });
  const t3 = performance.now();
  const tree = run.tree(request);
  return {
    signal,
    method,
    matrix,
    tree,
    bootstrap,
    seed,
    root: options.root,
    models: run.table.models.length,
    probes: run.table.probes.length,
    perSignal: (model.parts ?? [model]).map((p) => p.info),
    timings: {
      phenotype: (t1 - t0) / 1000,
      tree: (t2 - t1) / 1000,
      bootstrap: (t3 - t2) / 1000,
      total: (performance.now() - t0) / 1000,
    },
    warnings: run.warnings,
  };
}
