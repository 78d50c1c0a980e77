// Import samples from JSON Lines: one object a line with `model`, `probe` and/or `prompt`, `text`, and optionally
// `index`, `tokens` (or input_tokens/output_tokens), `latency` (or latency_ms), and `status: "error"` with
// error_kind/error_message. `phylo export --format jsonl` writes this shape, so an export re-imports as it was.
import fs from 'node:fs';
import readline from 'node:readline';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { runName } from '../core/refs.js';
import type { FailureKind, ModelRef, Probe, ProbeId, Suite } from '../core/types.js';
import { defaultImportName, type ImportReport } from './import-alpaca-eval.js';
import { checkModelName } from './model-name.js';
import type { SampleWrite } from './rows.js';
import type { SqliteStore } from './sqlite.js';

const FAILURE_KINDS = [
  'rate_limit',
  'timeout',
  'server',
  'connection',
  'bad_response',
  'auth',
  'bad_request',
  'not_found',
  'unsupported',
] as const;

const nonNegative = z.number().finite().nonnegative();
/** The highest sample index a line may give: the collector's limit of samples per probe (collect/limits.ts) - 1. */
export const MAX_IMPORT_INDEX = 9_999;

const LineSchema = z
  .object({
    model: z.string().min(1),
    probe: z.string().min(1).optional(),
    prompt: z.string().optional(),
    text: z.string().nullable().optional(),
    index: z
      .number()
      .int()
      .nonnegative()
      .max(MAX_IMPORT_INDEX, `at most ${MAX_IMPORT_INDEX} (the limit of samples per probe is ${MAX_IMPORT_INDEX + 1})`)
      .optional(),
    tokens: nonNegative.optional(),
    input_tokens: nonNegative.optional(),
    output_tokens: nonNegative.optional(),
    latency: nonNegative.optional(),
    latency_ms: nonNegative.optional(),
    status: z.enum(['ok', 'error']).optional(),
    error_kind: z.enum(FAILURE_KINDS).nullable().optional(),
    error_message: z.string().nullable().optional(),
    finish_reason: z.string().nullable().optional(),
  })
  .loose();

export interface JsonlImportOptions {
  readonly name?: string;
  readonly replace?: boolean;
}

/** `gpt-4o` -> `replay:gpt-4o`; an exported `openai:gpt-4o` -> `replay:openai:gpt-4o` (the replay provider's). */
export function replayRef(model: string): ModelRef {
  return (model.startsWith('replay:') ? model : `replay:${model}`) as ModelRef;
}

function promptProbeId(prompt: string): ProbeId {
  return `p-${createHash('sha256').update(prompt).digest('hex').slice(0, 12)}` as ProbeId;
}

export async function importJsonl(
  store: SqliteStore,
  file: string,
  options: JsonlImportOptions = {},
): Promise<ImportReport> {
  const name = runName(options.name ?? defaultImportName(file));
  if (store.hasRun(name) && !options.replace)
    throw new InputError(`run "${name}" already exists; pass --name NEW or --replace`);
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file; give a .jsonl file with one sample a line`);

  const probes = new Map<string, Probe>();
  const promptOf = new Map<string, string | undefined>();
  const models: ModelRef[] = [];
  const seen = new Set<string>();
  const nextIndex = new Map<string, number>();
  const samples: SampleWrite[] = [];
  const empty: Record<string, number> = {};
  let maxIndex = 0;
  const at = new Date().toISOString();

  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim().length === 0) continue;
    const where = `${file}:${lineNo}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new InputError(`${where}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
    }
    const parsed = LineSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`${where}: field "${issue.path.join('.') || '(line)'}": ${issue.message}`);
    }
    const l = parsed.data;
    if (l.probe === undefined && l.prompt === undefined)
      throw new InputError(`${where}: needs "probe" (an id) or "prompt" (the text asked)`);
    const probe = (l.probe ?? promptProbeId(l.prompt!)) as ProbeId;
    if (promptOf.has(probe)) {
      const known = promptOf.get(probe);
      if (l.prompt !== undefined && known !== undefined && known !== l.prompt)
        throw new InputError(`${where}: probe "${probe}" was given another prompt on an earlier line`);
      if (known === undefined && l.prompt !== undefined) {
        promptOf.set(probe, l.prompt);
        probes.set(probe, {
          id: probe,
          tags: [],
          prompt: { kind: 'chat', messages: [{ role: 'user', content: l.prompt }] },
        });
      }
    } else {
      promptOf.set(probe, l.prompt);
      // A probe given without its prompt keeps an empty prompt: analyses still align by id; replay cannot serve it.
      probes.set(probe, {
        id: probe,
        tags: [],
        prompt: { kind: 'chat', messages: l.prompt === undefined ? [] : [{ role: 'user', content: l.prompt }] },
      });
    }
    checkModelName(l.model, where);
    const model = replayRef(l.model);
    if (!models.includes(model)) models.push(model);
    const cell = `${model}\u0000${probe}`;
    const index = l.index ?? nextIndex.get(cell) ?? 0;
    nextIndex.set(cell, index + 1);
    const key = `${cell}\u0000${index}`;
    if (seen.has(key)) throw new InputError(`${where}: model ${l.model}, probe ${probe}, index ${index} appears twice`);
    seen.add(key);
    maxIndex = Math.max(maxIndex, index);

    const isError = l.status === 'error';
    if (!isError && (l.text === undefined || l.text === null))
      throw new InputError(`${where}: field "text": required (use "" for an empty answer, or status "error")`);
    const inputTokens = l.input_tokens ?? 0;
    const outputTokens = l.output_tokens ?? l.tokens ?? 0;
    const latencyMs = l.latency_ms ?? l.latency ?? 0;
    if (!isError && l.text === '') empty[model] = (empty[model] ?? 0) + 1;
    samples.push({
      run: name,
      model,
      probe,
      index,
      outcome: isError
        ? { status: 'error', kind: (l.error_kind ?? 'bad_response') as FailureKind, message: l.error_message ?? '' }
        : {
            status: 'ok',
            text: l.text!,
            finishReason: l.finish_reason ?? '',
            usage: { inputTokens, outputTokens },
            temperatureUsed: Number.NaN,
          },
      latencyMs,
      attempts: 0,
      costUsd: 0,
      at,
    });
  }
  if (samples.length === 0) throw new InputError(`${file}: no samples (one JSON object a line expected)`);

  const samplesPerProbe = maxIndex + 1;
  const suite: Suite = {
    name: defaultImportName(file),
    version: '1',
    description: `samples imported from ${file}`,
    defaults: { sampling: { temperature: 0.7, maxTokens: 1024 }, samples: samplesPerProbe },
    probes: [...probes.values()],
  };
  const missing: Record<string, number> = {};
  for (const model of models) {
    let n = 0;
    for (const probe of probes.keys())
      for (let i = 0; i < samplesPerProbe; i++) if (!seen.has(`${model}\u0000${probe}\u0000${i}`)) n++;
    if (n > 0) missing[model] = n;
  }
  store.transaction(() => {
    if (store.hasRun(name)) store.deleteRun(name);
    store.createRun({ name, suite, models, samples: samplesPerProbe, origin: 'import:jsonl', status: 'finished' });
    store.writeBatch(samples);
  });
  return {
    run: name,
    models: models.length,
    probes: probes.size,
    samples: samples.length,
    empty,
    missing,
    warnings: [],
  };
}
