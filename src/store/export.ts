// Export a run's samples as JSON Lines or CSV (RFC 4180), one row per sample with the prompt it answered, so the
// file stands alone and `phylo import jsonl` reads it back.
import fs from 'node:fs';
import { outcomeColumns } from './outcome-columns.js';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { RunData } from '../core/run.js';
import { promptText } from '../core/prompt.js';
import { escapeJsonUnsafe, forTerminal } from '../core/sanitize.js';

export type ExportFormat = 'jsonl' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'csv'];

export interface ExportRow {
  readonly run: string;
  readonly model: string;
  readonly probe: string;
  readonly index: number;
  readonly prompt: string | null;
  readonly status: 'ok' | 'error';
  readonly text: string | null;
  readonly finish_reason: string | null;
  readonly error_kind: string | null;
  readonly error_message: string | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly latency_ms: number;
  readonly cost_usd: number;
  readonly attempts: number;
  readonly temperature_used: number | null;
  readonly served_model: string | null;
  readonly at: string;
  // Provenance (issue 16): the seed sent, whether the cache answered, when the answer was produced, what the
  // endpoint said it was, where it was and which client asked.
  readonly seed: number | null;
  readonly cached: boolean;
  readonly collected_at: string | null;
  readonly fingerprint: string | null;
  readonly base_url: string | null;
  readonly client: string | null;
}

export const EXPORT_COLUMNS: readonly (keyof ExportRow)[] = [
  'run',
  'model',
  'probe',
  'index',
  'prompt',
  'status',
  'text',
  'finish_reason',
  'error_kind',
  'error_message',
  'input_tokens',
  'output_tokens',
  'latency_ms',
  'cost_usd',
  'attempts',
  'temperature_used',
  'served_model',
  'at',
  'seed',
  'cached',
  'collected_at',
  'fingerprint',
  'base_url',
  'client',
];

export function* exportRows(data: RunData): Generator<ExportRow> {
  const prompts = new Map(data.run.suite.probes.map((p) => [String(p.id), promptText(p.prompt)]));
  for (const s of data.samples) {
    const o = s.outcome;
    const ok = o.status === 'ok';
    yield {
      run: s.run,
      model: s.model,
      probe: s.probe,
      index: s.index,
      prompt: prompts.get(s.probe) ?? null,
      ...outcomeColumns(o),
      latency_ms: s.latencyMs,
      cost_usd: s.costUsd,
      attempts: s.attempts,
      temperature_used: ok && Number.isFinite(o.temperatureUsed) ? o.temperatureUsed : null,
      served_model: ok ? (o.servedModel ?? null) : null,
      at: s.at,
      seed: s.seed ?? null,
      cached: s.cached === true,
      collected_at: s.collectedAt ?? null,
      fingerprint: ok ? (o.fingerprint ?? null) : null,
      base_url: s.baseURL ?? null,
      client: ok ? (o.client ?? null) : null,
    };
  }
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One row. JSONL escapes what JSON.stringify leaves raw but a terminal acts on (C1 controls, bidi overrides); CSV
 * bound for a terminal (`forTerminal`) has control sequences stripped and bidi controls shown, since CSV cannot escape.
 */
export function formatRow(row: ExportRow, format: ExportFormat, forTerminalOutput = false): string {
  if (format === 'jsonl') return escapeJsonUnsafe(JSON.stringify(row));
  return EXPORT_COLUMNS.map((c) => {
    const value = row[c];
    return csvField(forTerminalOutput && typeof value === 'string' ? forTerminal(value) : value);
  }).join(',');
}

/** Write the export to a stream (stdout) or a file; resolves with the number of rows. */
export async function writeExport(
  data: RunData,
  format: ExportFormat,
  out: Writable | string,
  options: { readonly terminal?: boolean } = {},
): Promise<number> {
  const stream = typeof out === 'string' ? fs.createWriteStream(out, 'utf8') : out;
  let rows = 0;
  const write = async (text: string): Promise<void> => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  if (format === 'csv') await write(`${EXPORT_COLUMNS.join(',')}\r\n`);
  const eol = format === 'csv' ? '\r\n' : '\n';
  let chunk = '';
  for (const row of exportRows(data)) {
    chunk += formatRow(row, format, options.terminal === true) + eol;
    rows++;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk.length > 0) await write(chunk);
  if (typeof out === 'string') {
    stream.end();
    await once(stream, 'finish');
  }
  return rows;
}
