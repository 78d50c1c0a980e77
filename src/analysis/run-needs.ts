// What a signal needs from a run beyond answered probes. Each need says how to tell whether a run has it and, in one
// line, how to collect a run that does; `availableSignals` and the "signal not available" error read them.
import { hasRepeatedSamples } from '../phenotype/alleles.js';
import { hasTopLogprobs } from '../phenotype/logprob-profile.js';
import type { ResponseTable } from '../phenotype/responses.js';
import type { RunData } from '../core/run.js';

const runLabel = (run: string | undefined) => (run === undefined ? 'this run' : `run ${run}`);

export interface RunNeed {
  /** Short name, e.g. for `phylo tree --help`. */
  readonly name: string;
  metBy(data: RunData, table: ResponseTable): boolean;
  /** Why a run without it cannot give the signal, and how to collect one that can (one line). */
  missing(signal: string, run?: string): string;
}

/** PhyloLM-style genes: some probe answered at least twice by a model. */
export const REPEATED_SAMPLES: RunNeed = {
  name: 'repeated samples',
  metBy: (_data, table) => hasRepeatedSamples(table),
  missing: (signal, run) =>
    `signal ${signal} needs probes sampled several times (PhyloLM-style genes); ${runLabel(run)} has one sample per ` +
    'probe: collect with --samples 8',
};

/** First-token top logprobs on some answer. */
export const TOP_LOGPROBS: RunNeed = {
  name: 'top logprobs',
  metBy: (data) => hasTopLogprobs(data),
  missing: (signal, run) =>
    `signal ${signal} needs samples with top logprobs; ${runLabel(run)} has none: collect with ` +
    '"phylo run --logprobs 20" from a provider that returns them (OpenAI, OpenAI-compatible, Ollama, lab)',
};
