// The store's rows and the values they map to: a run row to a RunRecord, a sample row to a Sample and back. Column
// names are the schema's (schema.ts); nothing here touches the database.
import type { RunRecord, RunStatus } from '../core/run.js';
import type { FailureKind, ModelRef, ProbeId, RunName, Sample, SamplingParams, Suite } from '../core/types.js';
import { outcomeColumns } from './outcome-columns.js';

/** A sample to write; `cached` marks one served from the response cache without a request. */
export type SampleWrite = Sample & { readonly cached?: boolean };

export interface RunRow {
  id: number;
  name: string;
  suite_name: string;
  suite: string;
  models: string;
  samples: number;
  sampling: string;
  status: RunStatus;
  origin: string;
  created_at: string;
  updated_at: string;
}

export interface SampleRow {
  model: string;
  probe: string;
  idx: number;
  status: 'ok' | 'error';
  text: string | null;
  finish_reason: string | null;
  error_kind: string | null;
  error_message: string | null;
  input_tokens: number;
  output_tokens: number;
  latency_ms: number;
  cost_usd: number;
  attempts: number;
  logprobs: string | null;
  temperature_used: number | null;
  served_model: string | null;
  note: string | null;
  at: string;
}

export function toRecord(r: RunRow): RunRecord {
  return {
    name: r.name as RunName,
    suite: JSON.parse(r.suite) as Suite,
    models: JSON.parse(r.models) as ModelRef[],
    samples: r.samples,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    origin: r.origin,
    sampling: JSON.parse(r.sampling) as Partial<SamplingParams>,
  };
}

export function toSample(run: RunName, r: SampleRow): Sample {
  const base = {
    run,
    model: r.model as ModelRef,
    probe: r.probe as ProbeId,
    index: r.idx,
    latencyMs: r.latency_ms,
    attempts: r.attempts,
    costUsd: r.cost_usd,
    at: r.at,
  };
  if (r.status === 'error') {
    return {
      ...base,
      outcome: { status: 'error', kind: (r.error_kind ?? 'server') as FailureKind, message: r.error_message ?? '' },
    };
  }
  const outcome: Sample['outcome'] = {
    status: 'ok',
    text: r.text ?? '',
    finishReason: r.finish_reason ?? '',
    usage: { inputTokens: r.input_tokens, outputTokens: r.output_tokens },
    temperatureUsed: r.temperature_used ?? Number.NaN,
    ...(r.logprobs !== null ? { logprobs: JSON.parse(r.logprobs) } : {}),
    ...(r.served_model !== null ? { servedModel: r.served_model } : {}),
    ...(r.note !== null ? { note: r.note } : {}),
  };
  return { ...base, outcome };
}

export function sampleParams(runId: number, s: SampleWrite): Record<string, unknown> {
  const o = s.outcome;
  const ok = o.status === 'ok';
  return {
    run_id: runId,
    model: s.model,
    probe: s.probe,
    idx: s.index,
    ...outcomeColumns(o),
    latency_ms: s.latencyMs,
    cost_usd: s.costUsd,
    attempts: s.attempts,
    logprobs: ok && o.logprobs !== undefined ? JSON.stringify(o.logprobs) : null,
    temperature_used: ok && Number.isFinite(o.temperatureUsed) ? o.temperatureUsed : null,
    served_model: ok ? (o.servedModel ?? null) : null,
    note: ok ? (o.note ?? null) : null,
    cached: s.cached ? 1 : 0,
    at: s.at,
  };
}
