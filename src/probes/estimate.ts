// What a run of a suite will cost before it is sent: requests, tokens, dollars. Shown before a run starts, so the
// user can stop an expensive one. Pure arithmetic over the suite; no tokenizer, no network.
import type { ModelRef, Probe, Suite } from '../core/types.js';

/** Characters per token for the input estimate: the usual rule of thumb for English BPE vocabularies (OpenAI). */
export const CHARS_PER_TOKEN = 4;

/** Fraction of max_tokens a response typically uses; max_tokens itself is the upper bound. */
export const TYPICAL_OUTPUT_FRACTION = 0.6;

export interface Price {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

export interface ModelEstimate {
  readonly model: ModelRef;
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: { readonly typical: number; readonly max: number };
  readonly costUsd: { readonly low: number; readonly high: number };
}

export interface RunEstimate {
  readonly requests: number;
  readonly inputTokens: number;
  /** `max`: every response uses all of max_tokens; `typical`: TYPICAL_OUTPUT_FRACTION of that. */
  readonly outputTokens: { readonly typical: number; readonly max: number };
  /** `low`: input plus typical output; `high`: input plus max output. */
  readonly costUsd: { readonly low: number; readonly high: number };
  readonly perModel: readonly ModelEstimate[];
}

/** Input tokens of one request for a probe: ceil(prompt characters / CHARS_PER_TOKEN), messages summed. */
export function promptTokens(probe: Probe): number {
  const chars =
    probe.prompt.kind === 'chat'
      ? probe.prompt.messages.reduce((n, m) => n + m.content.length, 0)
      : probe.prompt.prefix.length;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Samples drawn of a probe: its own `samples`, else the run's, else the suite default. */
export function samplesOf(probe: Probe, suite: Suite, runSamples?: number): number {
  return probe.samples ?? runSamples ?? suite.defaults.samples;
}

/**
 * Estimate a run of `suite` on `models`. `samples` is the run's default samples per probe (a probe's own wins;
 * undefined means the suite default). One request per sample: providers are asked one completion at a time.
 */
export function estimateRun(
  suite: Suite,
  models: readonly ModelRef[],
  samples: number | undefined,
  price: (model: ModelRef) => Price,
  typicalFraction: number = TYPICAL_OUTPUT_FRACTION,
): RunEstimate {
  let requestsPerModel = 0;
  let inputPerModel = 0;
  let maxOutputPerModel = 0;
  for (const probe of suite.probes) {
    const n = samplesOf(probe, suite, samples);
    requestsPerModel += n;
    inputPerModel += n * promptTokens(probe);
    maxOutputPerModel += n * (probe.sampling?.maxTokens ?? suite.defaults.sampling.maxTokens);
  }
  const typicalOutputPerModel = Math.round(maxOutputPerModel * typicalFraction);
  const perModel = models.map((model): ModelEstimate => {
    const p = price(model);
    const inputCost = (inputPerModel * p.inputPerMTok) / 1e6;
    return {
      model,
      requests: requestsPerModel,
      inputTokens: inputPerModel,
      outputTokens: { typical: typicalOutputPerModel, max: maxOutputPerModel },
      costUsd: {
        low: inputCost + (typicalOutputPerModel * p.outputPerMTok) / 1e6,
        high: inputCost + (maxOutputPerModel * p.outputPerMTok) / 1e6,
      },
    };
  });
  const sum = (f: (m: ModelEstimate) => number): number => perModel.reduce((s, m) => s + f(m), 0);
  return {
    requests: sum((m) => m.requests),
    inputTokens: sum((m) => m.inputTokens),
    outputTokens: { typical: sum((m) => m.outputTokens.typical), max: sum((m) => m.outputTokens.max) },
    costUsd: { low: sum((m) => m.costUsd.low), high: sum((m) => m.costUsd.high) },
    perModel,
  };
}

/** One line for a terminal: "1,240 requests, ~52k input tokens, 31k-52k output tokens, $0.02-$0.04". */
export function formatEstimate(e: RunEstimate): string {
  const k = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString('en-US'));
  const usd = (x: number): string => (x === 0 ? '$0' : x < 0.01 ? '<$0.01' : `$${x.toFixed(2)}`);
  const cost = e.costUsd.high === 0 ? 'no price known (local or free)' : `${usd(e.costUsd.low)}-${usd(e.costUsd.high)}`;
  const output = `${k(e.outputTokens.typical)}-${k(e.outputTokens.max)} output tokens`;
  return `${e.requests.toLocaleString('en-US')} requests, ~${k(e.inputTokens)} input tokens, ${output}, ${cost}`;
}
