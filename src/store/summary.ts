// What `phylo show` reports about a run, per model: samples answered, missing, failed by kind, tokens, cost and
// latency percentiles. Pure: from RunData to plain numbers.
import type { FailureKind } from '../core/types.js';
import type { RunData, RunStatus } from '../core/run.js';

export interface LatencyPercentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

export interface ModelSummary {
  readonly model: string;
  /** Samples the run plans for this model (probes x samples per probe). */
  readonly expected: number;
  readonly ok: number;
  /** Answered with empty text (counted in ok). */
  readonly empty: number;
  /** Answered from the response cache without a request (counted in ok). */
  readonly cached: number;
  readonly missing: number;
  /** Up to MISSING_LISTED probe ids with at least one missing sample. */
  readonly missingProbes: readonly string[];
  readonly errors: Readonly<Partial<Record<FailureKind, number>>>;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Over samples that were requested (not cached, not imported); absent when there are none. */
  readonly latencyMs?: LatencyPercentiles;
}

export interface RunSummary {
  readonly run: string;
  readonly suite: string;
  readonly status: RunStatus;
  readonly origin: string;
  readonly probes: number;
  readonly samplesPerProbe: number;
  /** The run's seed (each sample's is derived from it); absent for runs collected before seeds or imported. */
  readonly seed?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly models: readonly ModelSummary[];
}

export const MISSING_LISTED = 20;

/** Sample quantile, linear interpolation between order statistics (Hyndman & Fan 1996, type 7; R's default). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function summarizeRun(data: RunData): RunSummary {
  const { run } = data;
  const perProbe = run.suite.probes.map((p) => ({ id: String(p.id), n: p.samples ?? run.samples }));
  const expectedPerModel = perProbe.reduce((a, p) => a + p.n, 0);
  const byModel = new Map<string, (typeof data.samples)[number][]>();
  for (const m of run.models) byModel.set(m, []);
  for (const s of data.samples) {
    let list = byModel.get(s.model);
    if (!list) {
      list = [];
      byModel.set(s.model, list);
    }
    list.push(s);
  }
  const models: ModelSummary[] = [];
  for (const [model, samples] of byModel) {
    const have = new Set(samples.map((s) => `${s.probe}\u0000${s.index}`));
    let missing = 0;
    const missingProbes: string[] = [];
    for (const p of perProbe) {
      let lacking = 0;
      for (let i = 0; i < p.n; i++) if (!have.has(`${p.id}\u0000${i}`)) lacking++;
      missing += lacking;
      if (lacking > 0 && missingProbes.length < MISSING_LISTED) missingProbes.push(p.id);
    }
    let ok = 0;
    let empty = 0;
    let cached = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    let costUsd = 0;
    const errors: Partial<Record<FailureKind, number>> = {};
    const latencies: number[] = [];
    for (const s of samples) {
      costUsd += s.costUsd;
      if (s.outcome.status === 'ok') {
        ok++;
        if (s.outcome.text.length === 0) empty++;
        if (s.cached) cached++;
        inputTokens += s.outcome.usage.inputTokens;
        outputTokens += s.outcome.usage.outputTokens;
        if (s.attempts > 0) latencies.push(s.latencyMs);
      } else {
        errors[s.outcome.kind] = (errors[s.outcome.kind] ?? 0) + 1;
      }
    }
    const sorted = Float64Array.from(latencies).sort();
    models.push({
      model,
      expected: expectedPerModel,
      ok,
      empty,
      cached,
      missing,
      missingProbes,
      errors,
      inputTokens,
      outputTokens,
      costUsd,
      ...(sorted.length > 0
        ? { latencyMs: { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99) } }
        : {}),
    });
  }
  return {
    run: run.name,
    suite: `${run.suite.name}@${run.suite.version}`,
    status: run.status,
    origin: run.origin,
    probes: run.suite.probes.length,
    samplesPerProbe: run.samples,
    ...(run.sampling?.seed !== undefined ? { seed: run.sampling.seed } : {}),
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    models,
  };
}
