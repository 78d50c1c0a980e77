// What the rest of the tool may ask of the store. The SQLite implementation lives beside this file; analyses,
// the TUI and the lab read runs only through this interface. The run types themselves are in src/core/run.ts.
import type { RunData, RunRecord, RunStatus } from '../core/run.js';
import type { ModelRef, RunName, Sample } from '../core/types.js';

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
