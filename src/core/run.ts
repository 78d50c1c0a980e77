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

/**
 * The run restricted to some of its probes (suite and samples alike), for analysing part of a run: an adaptive run's
 * chosen probes, whose follow-up samples the pilot-only probes lack.
 */
export function runOfProbes(data: RunData, probes: ReadonlySet<string>): RunData {
  const suite = { ...data.run.suite, probes: data.run.suite.probes.filter((p) => probes.has(String(p.id))) };
  return { run: { ...data.run, suite }, samples: data.samples.filter((s) => probes.has(s.probe)) };
}
