// Import AlpacaEval results (tatsu-lab/alpaca_eval `results/<model>/model_outputs.json`: an array of
// {dataset, instruction, output, generator}) as one run: the probes are the union of instructions, aligned by
// instruction text (not position: some models miss a few), the models are `replay:<folder>`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { runName } from '../core/refs.js';
import type { ModelRef, Probe, ProbeId, RunName, Suite } from '../core/types.js';
import { checkModelName } from './model-name.js';
import type { SampleWrite } from './rows.js';
import type { SqliteStore } from './sqlite.js';

export interface AlpacaImportOptions {
  readonly name?: string;
  /** Replace an existing run of that name instead of refusing. */
  readonly replace?: boolean;
}

export interface ImportReport {
  readonly run: RunName;
  readonly models: number;
  readonly probes: number;
  readonly samples: number;
  /** Successful samples with empty text, per model (kept: an empty answer is an answer). */
  readonly empty: Readonly<Record<string, number>>;
  /** Probes a model has no entry for, per model (only models that miss some). */
  readonly missing: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
}

export const ALPACA_FILE = 'model_outputs.json';

/** A stable probe id from the instruction text: the same instruction gets the same id in every import. */
export function instructionProbeId(instruction: string): ProbeId {
  return `ae-${createHash('sha256').update(instruction).digest('hex').slice(0, 12)}` as ProbeId;
}

interface Entry {
  readonly instruction: string;
  readonly output: string;
  readonly dataset: string;
  readonly generator?: string;
}

function readModelOutputs(file: string): Entry[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(
      `${file}: not valid JSON (${(err as Error).message.split('\n')[0]}); expected AlpacaEval's model_outputs.json`,
    );
  }
  if (!Array.isArray(data)) throw new InputError(`${file}: expected a JSON array of {instruction, output, ...}`);
  return data.map((raw, i) => {
    const e = raw as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object') throw new InputError(`${file}: entry ${i} is not an object`);
    if (typeof e.instruction !== 'string')
      throw new InputError(`${file}: entry ${i}: field "instruction" must be a string`);
    // AlpacaEval writes a failed generation as "" (sometimes null): recorded as an empty answer, not dropped.
    if (e.output !== null && e.output !== undefined && typeof e.output !== 'string')
      throw new InputError(`${file}: entry ${i}: field "output" must be a string`);
    return {
      instruction: e.instruction,
      output: typeof e.output === 'string' ? e.output : '',
      dataset: typeof e.dataset === 'string' ? e.dataset : 'alpaca_eval',
      generator: typeof e.generator === 'string' ? e.generator : undefined,
    };
  });
}

/** A folder, or a symbolic link to one (a results folder assembled from links); a broken link is not. */
function isFolder(entry: fs.Dirent, dir: string): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return fs.statSync(path.join(dir, entry.name)).isDirectory();
  } catch {
    return false;
  }
}

/** Model folders of an AlpacaEval results folder: subfolders (or links to them) holding model_outputs.json, sorted. */
export function alpacaModelFolders(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new InputError(`${dir}: not a folder; give AlpacaEval's results/ folder (one subfolder per model)`);
  const folders = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => isFolder(d, dir) && fs.existsSync(path.join(dir, d.name, ALPACA_FILE)))
    .map((d) => d.name)
    .sort();
  if (folders.length === 0)
    throw new InputError(`${dir}: no <model>/${ALPACA_FILE} found; give AlpacaEval's results/ folder`);
  return folders;
}

export function importAlpacaEval(store: SqliteStore, dir: string, options: AlpacaImportOptions = {}): ImportReport {
  const name = runName(options.name ?? defaultImportName(dir));
  if (store.hasRun(name) && !options.replace)
    throw new InputError(`run "${name}" already exists; pass --name NEW or --replace`);
  const folders = alpacaModelFolders(dir);
  const warnings: string[] = [];
  const probes = new Map<string, Probe>();
  const perModel: { model: ModelRef; byInstruction: Map<string, Entry> }[] = [];

  for (const folder of folders) {
    const file = path.join(dir, folder, ALPACA_FILE);
    checkModelName(folder, path.join(dir, folder));
    const model = `replay:${folder}` as ModelRef;
    const byInstruction = new Map<string, Entry>();
    for (const entry of readModelOutputs(file)) {
      if (byInstruction.has(entry.instruction)) {
        warnings.push(`${file}: instruction repeated; kept the first answer (${entry.instruction.slice(0, 40)}...)`);
        continue;
      }
      byInstruction.set(entry.instruction, entry);
      if (!probes.has(entry.instruction)) {
        probes.set(entry.instruction, {
          id: instructionProbeId(entry.instruction),
          tags: [entry.dataset],
          prompt: { kind: 'chat', messages: [{ role: 'user', content: entry.instruction }] },
        });
      }
    }
    perModel.push({ model, byInstruction });
  }
  const ids = new Set([...probes.values()].map((p) => p.id));
  if (ids.size !== probes.size)
    throw new Error('alpaca-eval import: two instructions hash to one probe id; lengthen instructionProbeId');

  const suite: Suite = {
    name: 'alpaca-eval',
    version: `${probes.size}`,
    description:
      `AlpacaEval instructions imported from ${path.basename(path.resolve(dir))} (${folders.length} models); ` +
      'sampling settings of the original generations are unknown',
    defaults: { sampling: { temperature: 0.7, maxTokens: 2048 }, samples: 1 },
    probes: [...probes.values()],
  };

  const at = new Date().toISOString();
  const samples: SampleWrite[] = [];
  const empty: Record<string, number> = {};
  const missing: Record<string, number> = {};
  for (const { model, byInstruction } of perModel) {
    for (const [instruction, probe] of probes) {
      const e = byInstruction.get(instruction);
      if (!e) {
        missing[model] = (missing[model] ?? 0) + 1;
        continue;
      }
      if (e.output.length === 0) empty[model] = (empty[model] ?? 0) + 1;
      samples.push({
        run: name,
        model,
        probe: probe.id,
        index: 0,
        outcome: {
          status: 'ok',
          text: e.output,
          finishReason: '',
          usage: { inputTokens: 0, outputTokens: 0 },
          temperatureUsed: Number.NaN,
          ...(e.generator ? { servedModel: e.generator } : {}),
        },
        latencyMs: 0,
        attempts: 0,
        costUsd: 0,
        at,
      });
    }
  }

  store.transaction(() => {
    if (store.hasRun(name)) store.deleteRun(name);
    store.createRun({
      name,
      suite,
      models: perModel.map((m) => m.model),
      samples: 1,
      origin: 'import:alpaca-eval',
      status: 'finished',
    });
    store.writeBatch(samples);
  });
  return { run: name, models: perModel.length, probes: probes.size, samples: samples.length, empty, missing, warnings };
}

/** `alpaca_eval` folder -> run name `alpaca_eval`; anything a run name cannot hold becomes a dash. */
export function defaultImportName(fileOrDir: string): string {
  const base = path.basename(path.resolve(fileOrDir)).replace(/\.[^.]+$/, '');
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return clean.length > 0 ? clean.slice(0, 128) : 'import';
}
