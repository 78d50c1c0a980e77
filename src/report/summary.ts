// The figures a reader needs before any tree: what was asked of whom, what came back, what it cost and when. Pure:
// computed from the stored run alone.
import type { RunData } from '../core/run.js';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface RunSummary {
  readonly run: string;
  readonly suite: string;
  readonly suiteVersion: string;
  readonly origin: string;
  readonly status: string;
  /** Models of the run, and those with at least one answer. */
  readonly models: number;
  readonly answeringModels: number;
  readonly probes: number;
  readonly samples: number;
  readonly ok: number;
  /** Failed samples by failure kind, most frequent first. */
  readonly errorsByKind: readonly { readonly kind: string; readonly count: number }[];
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Over answered samples with a measured latency (imports often carry none); undefined when there is none. */
  readonly latencyMs?: LatencySummary;
  /** Earliest and latest time a sample was stored (ISO). */
  readonly firstSample?: string;
  readonly lastSample?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The q-quantile of sorted values, by the nearest-rank method. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function runSummary(data: RunData): RunSummary {
  const errors = new Map<string, number>();
  const answering = new Set<string>();
  const latencies: number[] = [];
  let ok = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let first: string | undefined;
  let last: string | undefined;
  for (const s of data.samples) {
    costUsd += s.costUsd;
    if (first === undefined || s.at < first) first = s.at;
    if (last === undefined || s.at > last) last = s.at;
    if (s.outcome.status === 'error') {
      errors.set(s.outcome.kind, (errors.get(s.outcome.kind) ?? 0) + 1);
      continue;
    }
    ok++;
    answering.add(s.model);
    inputTokens += s.outcome.usage.inputTokens;
    outputTokens += s.outcome.usage.outputTokens;
    if (s.latencyMs > 0) latencies.push(s.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  const r = data.run;
  return {
    run: r.name,
    suite: r.suite.name,
    suiteVersion: r.suite.version,
    origin: r.origin,
    status: r.status,
    models: new Set([...r.models, ...data.samples.map((s) => s.model)]).size,
    answeringModels: answering.size,
    probes: r.suite.probes.length,
    samples: data.samples.length,
    ok,
    errorsByKind: [...errors]
      .map(([kind, count]) => ({ kind, count }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    inputTokens,
    outputTokens,
    costUsd,
    ...(latencies.length > 0
      ? {
          latencyMs: {
            p50: quantile(latencies, 0.5),
            p90: quantile(latencies, 0.9),
            p99: quantile(latencies, 0.99),
            max: latencies[latencies.length - 1]!,
          },
        }
      : {}),
    ...(first !== undefined ? { firstSample: first, lastSample: last } : {}),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
