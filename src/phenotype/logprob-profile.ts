// The logprob phenotype: a model's answer to a probe is its distribution over the first token, read from the top-k
// alternatives a provider returns (OpenAI and compatible servers, Ollama, the lab). No sampling noise: one query per
// probe gives the whole distribution's head. (The signal the lab experiment found closest to the training lineage.)
import type { TokenLogprob } from '../core/types.js';
import type { RunData } from '../core/run.js';
import type { ResponseTable } from './responses.js';

/** The bucket holding the mass outside the top-k. No real token contains NUL, so it cannot collide with one. */
export const OTHER_TOKEN = '\u0000other';

/** A first-token distribution: token -> probability, summing to 1 (the tail under OTHER_TOKEN). */
export type TokenDistribution = ReadonlyMap<string, number>;

/**
 * The distribution of the first token from its top-k alternatives: p = exp(logprob) for each listed token (a token
 * listed twice, as some servers do after decoding byte tokens to the same text, is summed), and the mass the list
 * does not cover, 1 - sum p, as one OTHER_TOKEN bucket. The tail is kept rather than renormalising over the top-k
 * alone because it carries signal: a flat model and a confident one with the same ranking differ only there. If
 * rounding makes the listed mass exceed 1, the whole is rescaled to sum to 1. Undefined when there is no usable
 * alternative (the provider was not asked for top logprobs, or returned none).
 */
export function firstTokenDistribution(first: TokenLogprob | undefined): TokenDistribution | undefined {
  const top = first?.top;
  if (!top || top.length === 0) return undefined;
  const out = new Map<string, number>();
  let mass = 0;
  for (const t of top) {
    if (Number.isNaN(t.logprob)) continue; // untrusted wire data
    const p = Math.exp(Math.min(0, t.logprob));
    out.set(t.token, (out.get(t.token) ?? 0) + p);
    mass += p;
  }
  if (!(mass > 0)) return undefined;
  if (mass < 1) out.set(OTHER_TOKEN, 1 - mass);
  else for (const [k, v] of out) out.set(k, v / mass);
  return out;
}

/** Whether any successful sample of the run carries top logprobs for its first token. */
export function hasTopLogprobs(data: RunData): boolean {
  return data.samples.some((s) => s.outcome.status === 'ok' && (s.outcome.logprobs?.[0]?.top?.length ?? 0) > 0);
}

/** The first-token distributions of a run, aligned to its response table. */
export interface LogprobProfile {
  readonly models: readonly string[];
  readonly probes: readonly string[];
  /** `cells[p * models.length + m]`: model m's distribution on probe p, undefined where it has none. */
  readonly cells: readonly (TokenDistribution | undefined)[];
  /** The largest k seen (alternatives per token), for the metric's name. */
  readonly k: number;
}

/**
 * Per probe and model, the first-token distribution; several samples of one cell (the same prompt asked again) are
 * averaged, so a run sampled for alleles gives the same profile as a run asked once. Probes and models follow the
 * response table, so bootstrap weights over the table's probes apply unchanged.
 */
export function logprobProfile(data: RunData, table: ResponseTable): LogprobProfile {
  const n = table.models.length;
  const modelIndex = new Map(table.models.map((m, i) => [m, i]));
  const probeIndex = new Map(table.probes.map((p, i) => [String(p.id), i]));
  const sums: (Map<string, number> | undefined)[] = new Array(table.probes.length * n).fill(undefined);
  const counts = new Int32Array(table.probes.length * n);
  let k = 0;
  for (const s of data.samples) {
    if (s.outcome.status !== 'ok') continue;
    const p = probeIndex.get(s.probe);
    const m = modelIndex.get(s.model);
    if (p === undefined || m === undefined) continue;
    const d = firstTokenDistribution(s.outcome.logprobs?.[0]);
    if (!d) continue;
    k = Math.max(k, s.outcome.logprobs![0]!.top!.length);
    const cell = p * n + m;
    const acc = sums[cell] ?? new Map<string, number>();
    sums[cell] = acc;
    for (const [t, v] of d) acc.set(t, (acc.get(t) ?? 0) + v);
    counts[cell]!++;
  }
  const cells = sums.map((acc, c) => (acc ? new Map([...acc].map(([t, v]) => [t, v / counts[c]!])) : undefined));
  return { models: table.models, probes: table.probes.map((p) => String(p.id)), cells, k };
}
