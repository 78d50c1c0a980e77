// Everything the app asks of the rest of llm-phylo, as plain data. Screens and hooks depend on this interface only;
// real-backend.ts maps it onto the providers, probes, collect, store and analysis modules, and tests pass fakes.
import type { RunListener } from '../core/events.js';
import type { DistanceMatrix } from '../core/matrix.js';
import type { EvidenceProbe, EvidenceResponse, TraitTable } from '../analysis/evidence.js';
import type { Tree, TreeMethod } from '../phylo/index.js';
import type { RunSummaryRow } from '../store/api.js';
import type { RunEstimate as ProbesRunEstimate } from '../probes/estimate.js';
import type { Sample } from '../core/types.js';
import type { WrittenReport } from '../report/index.js';
import type { BenchmarkScores } from '../core/benchmark-scores.js';

export type ProviderState = 'ready' | 'no-key' | 'unreachable' | 'error';

export interface ProviderStatus {
  /** The prefix of its model refs: a kind (`openai`) or a profile name. */
  readonly name: string;
  readonly kind: string;
  readonly state: ProviderState;
  /** One line: where it points, or what is missing (never a key). */
  readonly detail: string;
  readonly models: readonly string[];
  /** It has a vendor batch API (OpenAI Batch, Anthropic Message Batches); absent when not known. */
  readonly batch?: boolean;
}

export interface SuiteInfo {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly file: string;
  readonly probes: number;
  readonly tags: readonly string[];
  /** The suite's own defaults: the settings step starts from them. */
  readonly samples: number;
  readonly temperature: number;
}

/** The probes module's estimate, plus the models whose price is unknown (their cost counts as zero). */
export type RunEstimate = ProbesRunEstimate & { readonly unpriced: readonly string[] };

export interface NewRunRequest {
  readonly name: string;
  readonly models: readonly string[];
  readonly suite: string;
  readonly samples: number;
  readonly temperature: number;
  /** Through the vendors' batch APIs (`phylo run --batch`); every model's provider must have one. */
  readonly batch?: boolean;
}

/** A run in progress: events to subscribe to, and the controls the collection offers. */
export interface RunHandle {
  readonly name: string;
  subscribe(listener: RunListener): () => void;
  pause(): void;
  resume(): void;
  cancel(): void;
  /** Settles when the collection has stopped and everything collected is stored. */
  readonly done: Promise<void>;
}

/** The tree methods are src/phylo's (TREE_METHODS); the screens name them through this alias. */
export type TreeMethodName = TreeMethod;

/** The evidence a results screen shows is the analysed run's (src/analysis/evidence.ts). */
export type { EvidenceProbe, EvidenceResponse, TraitTable } from '../analysis/evidence.js';

/** One analysed run, as the results screen reads it. */
export interface ResultsData {
  readonly run: string;
  readonly models: readonly string[];
  /** The distance signals available, e.g. ['traits', 'embed', 'alleles', 'combined']. */
  readonly signals: readonly string[];
  matrix(signal: string): DistanceMatrix;
  /** The method the analysis recommends for a signal (the screen starts there). */
  defaultMethod?(signal: string): TreeMethodName;
  /** The tree of a signal by a method, with bootstrap support on internal branches when the analysis has it. */
  tree(signal: string, method: TreeMethodName): Tree;
  readonly traits: TraitTable;
  readonly probes: readonly EvidenceProbe[];
  responses(probe: string): readonly EvidenceResponse[];
  /**
   * Every stored sample of a model, logprobs included, for the equality test. Without it the test reads the
   * evidence's answered texts (`analysedRunSamples` in src/audit).
   */
  samples?(model: string): readonly Sample[];
  /**
   * Write the run's HTML report (src/report) to `out` with the trees of `signals`, figures beside it, and the
   * predicted benchmark scores when `scores` are given (at least 3 of its models scored). Absent: the screen says
   * it cannot.
   */
  writeReport?(out: string, signals: readonly string[], scores?: BenchmarkScores): Promise<WrittenReport>;
}

export interface Exported {
  readonly file: string;
  readonly format: 'newick' | 'tsv' | 'json';
}

export interface TuiBackend {
  /** Where runs and exports live. */
  readonly resultsDir: string;
  providers(): Promise<ProviderStatus[]>;
  labModels(): Promise<string[]>;
  recentRuns(): RunSummaryRow[];
  suites(): Promise<SuiteInfo[]>;
  estimate(request: Omit<NewRunRequest, 'name'>): Promise<RunEstimate>;
  startRun(request: NewRunRequest): Promise<RunHandle>;
  analyse(run: string): Promise<ResultsData>;
  /** Write a text file into the results folder and say where it went. */
  writeExport(baseName: string, format: Exported['format'], text: string): Promise<Exported>;
  /** Release the store and anything else held open. */
  close(): void;
}
