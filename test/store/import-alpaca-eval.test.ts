import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRef, RunName } from '../../src/core/types.js';
import {
  ALPACA_FILE,
  importAlpacaEval,
  instructionProbeId,
  type ImportReport,
} from '../../src/store/import-alpaca-eval.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { summarizeRun } from '../../src/store/summary.js';
import { tempDir } from '../collect/fakes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.resolve(here, '../../../shared/data/alpaca_eval');

interface Entry {
  instruction: string;
  output: string;
}
function entries(model: string): Entry[] {
  return JSON.parse(fs.readFileSync(path.join(DATA, model, ALPACA_FILE), 'utf8')) as Entry[];
}

describe('import alpaca-eval (real AlpacaEval outputs)', () => {
  let dir: string;
  let store: SqliteStore;
  let report: ImportReport;
  const folders = fs.readdirSync(DATA).filter((f) => fs.existsSync(path.join(DATA, f, ALPACA_FILE)));
  const union = new Set(folders.flatMap((f) => entries(f).map((e) => e.instruction)));

  beforeAll(() => {
    dir = tempDir();
    store = openStore(dir);
    report = importAlpacaEval(store, DATA, { name: 'ae' });
  });
  afterAll(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports every model folder and the union of instructions', () => {
    expect(folders.length).toBe(38);
    expect(report.models).toBe(folders.length);
    expect(report.probes).toBe(union.size);
    expect(union.size).toBe(805);
    const run = store.getRun('ae' as RunName);
    expect(run.origin).toBe('import:alpaca-eval');
    expect(run.status).toBe('finished');
    expect(run.models).toEqual(folders.sort().map((f) => `replay:${f}`));
    const total = folders.reduce((a, f) => a + entries(f).length, 0);
    expect(report.samples).toBe(total);
    expect(store.listRuns()[0]).toMatchObject({ models: 38, probes: 805, samples: total, errors: 0 });
  });

  it('aligns by instruction text, not position, for models that miss instructions', () => {
    for (const [model, n] of [
      ['phi-2', 803],
      ['llama-2-70b-chat-hf', 804],
    ] as const) {
      const list = entries(model);
      expect(list.length).toBe(n);
      const samples = store.samplesOf('ae' as RunName, `replay:${model}` as ModelRef);
      expect(samples.length).toBe(n);
      const byProbe = new Map(samples.map((s) => [s.probe, s.outcome.status === 'ok' ? s.outcome.text : null]));
      // Every entry, including those after the gap, sits under its own instruction's probe.
      for (const e of list) expect(byProbe.get(instructionProbeId(e.instruction))).toBe(e.output);
    }
  });

  it('records empty outputs as empty answers, not dropped', () => {
    const expected = entries('gemma-2b-it').filter((e) => e.output === '').length;
    expect(expected).toBe(22);
    expect(report.empty['replay:gemma-2b-it']).toBe(expected);
    const samples = store.samplesOf('ae' as RunName, 'replay:gemma-2b-it' as ModelRef);
    expect(samples.length).toBe(805);
    expect(samples.filter((s) => s.outcome.status === 'ok' && s.outcome.text === '').length).toBe(expected);
  });

  it('show reports the missing instructions per model', () => {
    const summary = summarizeRun(store.loadRun('ae' as RunName));
    expect(summary.models.length).toBe(38);
    for (const m of summary.models) {
      const folder = m.model.slice('replay:'.length);
      const have = new Set(entries(folder).map((e) => e.instruction));
      const lacking = [...union].filter((i) => !have.has(i));
      expect(m.missing).toBe(lacking.length);
      expect(m.ok).toBe(have.size);
      expect(new Set(m.missingProbes)).toEqual(new Set(lacking.map(instructionProbeId)));
      expect(m.latencyMs).toBeUndefined();
    }
    expect(report.missing).toEqual({ 'replay:phi-2': 2, 'replay:llama-2-70b-chat-hf': 1 });
  });

  it('refuses to overwrite a run unless asked', () => {
    expect(() => importAlpacaEval(store, DATA, { name: 'ae' })).toThrow(/already exists.*--replace/);
  });

  it('names the file and entry of malformed input', () => {
    const bad = tempDir();
    try {
      fs.mkdirSync(path.join(bad, 'm1'));
      fs.writeFileSync(
        path.join(bad, 'm1', ALPACA_FILE),
        JSON.stringify([
          { instruction: 'a', output: 'b' },
          { instruction: 3, output: 'c' },
        ]),
      );
      expect(() => importAlpacaEval(store, bad, { name: 'bad' })).toThrow(
        /m1\/model_outputs\.json: entry 1: field "instruction" must be a string/,
      );
      expect(() => importAlpacaEval(store, path.join(bad, 'nothing'), { name: 'bad' })).toThrow(/not a folder/);
      expect(store.hasRun('bad' as RunName)).toBe(false);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });
});
