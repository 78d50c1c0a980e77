// A stored run as every stage reads it: its record and its samples. Plain data, here in core so that the pure
// stages (phenotype, distance, phylo) and the analyses read runs without importing the store that holds them.
import type { ModelRef, RunName, Sample, SamplingParams, Suite } from './types.js';

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
