// The store's rows and the values they map to: a run row to a RunRecord, a sample row to a Sample and back. Column
// names are the schema's (schema.ts); nothing here touches the database.
import type { RunRecord, RunStatus } from '../core/run.js';
import type { FailureKind, ModelRef, ProbeId, RunName, Sample, SamplingParams, Suite } from '../core/types.js';
import { outcomeColumns } from './outcome-columns.js';

/** A sample to write (`cached` marks one served from the response cache without a request). */
export type SampleWrite = Sample;

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
  /** From the answers table (schema 7, SAMPLE_SELECT_SQL), or the row's own column in an older database. */
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
  cached: number;
  at: string;
  // Schema 3 (provenance); absent when an older database is read without migrating it.
  seed?: number | null;
  collected_at?: string | null;
  fingerprint?: string | null;
  base_url?: string | null;
  client?: string | null;
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
    ...(r.cached ? { cached: true } : {}),
    ...(r.seed !== undefined && r.seed !== null ? { seed: r.seed } : {}),
    ...(r.collected_at ? { collectedAt: r.collected_at } : {}),
    ...(r.base_url ? { baseURL: r.base_url } : {}),
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
    ...(r.fingerprint ? { fingerprint: r.fingerprint } : {}),
    ...(r.client ? { client: r.client } : {}),
  };
  return { ...base, outcome };
}

/** The row of a sample whose text is row `answerId` of the answers table (null for an error). */
export function sampleParams(runId: number, s: SampleWrite, answerId: number | null): Record<string, unknown> {
  const o = s.outcome;
  const ok = o.status === 'ok';
  const { text: _text, ...columns } = outcomeColumns(o);
  return {
    run_id: runId,
    model: s.model,
    probe: s.probe,
    idx: s.index,
    ...columns,
    answer_id: answerId,
    latency_ms: s.latencyMs,
    cost_usd: s.costUsd,
    attempts: s.attempts,
    logprobs: ok && o.logprobs !== undefined ? JSON.stringify(o.logprobs) : null,
    temperature_used: ok && Number.isFinite(o.temperatureUsed) ? o.temperatureUsed : null,
    served_model: ok ? (o.servedModel ?? null) : null,
    note: ok ? (o.note ?? null) : null,
    cached: s.cached ? 1 : 0,
    at: s.at,
    seed: s.seed ?? null,
    collected_at: s.collectedAt ?? null,
    fingerprint: ok ? (o.fingerprint ?? null) : null,
    base_url: s.baseURL ?? null,
    client: ok ? (o.client ?? null) : null,
  };
}

/** Write one sample (sampleParams), replacing a stored one of the same cell (a retried error), never duplicating. */
export const UPSERT_SAMPLE_SQL = `
  INSERT INTO samples (run_id, model, probe, idx, status, answer_id, finish_reason, error_kind, error_message,
     input_tokens, output_tokens, latency_ms, cost_usd, attempts, logprobs, temperature_used, served_model, note,
     cached, at, seed, collected_at, fingerprint, base_url, client)
   VALUES (@run_id, @model, @probe, @idx, @status, @answer_id, @finish_reason, @error_kind, @error_message,
     @input_tokens, @output_tokens, @latency_ms, @cost_usd, @attempts, @logprobs, @temperature_used,
     @served_model, @note, @cached, @at, @seed, @collected_at, @fingerprint, @base_url, @client)
   ON CONFLICT (run_id, model, probe, idx) DO UPDATE SET
     status = excluded.status, answer_id = excluded.answer_id, finish_reason = excluded.finish_reason,
     error_kind = excluded.error_kind, error_message = excluded.error_message,
     input_tokens = excluded.input_tokens,
     output_tokens = excluded.output_tokens, latency_ms = excluded.latency_ms, cost_usd = excluded.cost_usd,
     attempts = excluded.attempts, logprobs = excluded.logprobs, temperature_used = excluded.temperature_used,
     served_model = excluded.served_model, note = excluded.note, cached = excluded.cached, at = excluded.at,
     seed = excluded.seed, collected_at = excluded.collected_at, fingerprint = excluded.fingerprint,
     base_url = excluded.base_url, client = excluded.client`;

/**
 * The samples of a run (`WHERE` and `ORDER BY` follow), each row with its text: joined from the answers table
 * (schema 7), or the row's own `text` column in an older database opened read-only (never migrated).
 */
export function sampleSelectSql(answersTable: boolean): string {
  return answersTable
    ? 'SELECT s.*, a.text AS text FROM samples s LEFT JOIN answers a ON a.id = s.answer_id'
    : 'SELECT s.* FROM samples s';
}
