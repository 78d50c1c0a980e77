// What the rest of the tool may ask of the store. The SQLite implementation lives beside this file; analyses,
// the TUI and the lab read runs only through this interface.
import type { ModelRef, Probe, RunName, Sample, SamplingParams, Suite } from '../core/types.js';

export type RunStatus = 'running' | 'finished' | 'interrupted';

export interface RunRecord {
  readonly name: RunName;
  readonly suite: Suite;
  readonly models: readonly ModelRef[];
  /** Default samples per probe; a probe's own `samples` wins. */
  readonly samples: number;
  readonly status: RunStatus;
  /** ISO times. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Where the run came from: 'run' (collected), 'import:alpaca-eval', 'import:jsonl', 'lab'. */
  readonly origin: string;
  /** Run-level sampling overrides (CLI flags), between suite defaults and probe overrides. */
  readonly sampling?: Partial<SamplingParams>;
}

/** A run with its samples, as analyses consume it. */
export interface RunData {
  readonly run: RunRecord;
  readonly samples: readonly Sample[];
}

export interface RunSummaryRow {
  readonly name: RunName;
  readonly suite: string;
  readonly models: number;
  readonly probes: number;
  readonly samples: number;
  readonly errors: number;
  readonly status: RunStatus;
  readonly updatedAt: string;
}

export interface RunStore {
  listRuns(): RunSummaryRow[];
  /** Throws InputError naming the run when it does not exist. */
  getRun(name: RunName): RunRecord;
  loadRun(name: RunName): RunData;
  samplesOf(name: RunName, model?: ModelRef): Sample[];
  close(): void;
}

/** One cached embedding: its key (embeddingCacheKey) and the vector. */
export interface EmbeddingEntry {
  readonly key: string;
  readonly vector: Float64Array;
}

/** The provider-embedding cache: vectors by key, stored like samples so that re-analysing makes no request. */
export interface EmbeddingCache {
  /** The cached vectors among `keys` (float32 precision); keys not cached are absent from the map. */
  getEmbeddings(keys: readonly string[]): Map<string, Float64Array>;
  /** Store vectors in one transaction (an entry with an existing key replaces it). */
  putEmbeddings(entries: readonly EmbeddingEntry[]): void;
}

export type { Probe };
