// Test fixture: the 38 real AlpacaEval models (../shared/data/alpaca_eval) as a RunData, aligned by instruction
// text, plus their FAMILIES.tsv labels. Used until a test prefers the store's importer; the labels are the expected
// answer for scoring, never input to an analysis.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelRef, Probe, ProbeId, RunName, Sample, Suite } from '../../src/core/types.js';
import type { RunData } from '../../src/core/run.js';

/** The data folder, found from this file's location or the working directory; undefined when absent. */
export function alpacaEvalDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '../../../shared/data/alpaca_eval'),
    path.resolve(process.cwd(), '../shared/data/alpaca_eval'),
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'FAMILIES.tsv')));
}

interface AlpacaRow {
  readonly instruction: string;
  readonly output: string;
}

// The same model refs as src/store/import-alpaca-eval.ts gives them.
export const ALPACA_PREFIX = 'replay';

/** Load every model folder as one run; probe ids are the instruction's index in first-seen order. */
export function loadAlpacaEvalRun(dir: string): RunData {
  const models = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'model_outputs.json')))
    .map((e) => e.name)
    .sort();
  const probeOf = new Map<string, ProbeId>();
  const probes: Probe[] = [];
  const samples: Sample[] = [];
  const run = 'alpaca-eval' as RunName;
  for (const model of models) {
    const rows = JSON.parse(fs.readFileSync(path.join(dir, model, 'model_outputs.json'), 'utf8')) as AlpacaRow[];
    for (const row of rows) {
      let id = probeOf.get(row.instruction);
      if (id === undefined) {
        id = `alpaca-${String(probes.length).padStart(3, '0')}` as ProbeId;
        probeOf.set(row.instruction, id);
        probes.push({ id, tags: [], prompt: { kind: 'chat', messages: [{ role: 'user', content: row.instruction }] } });
      }
      samples.push({
        run,
        model: `${ALPACA_PREFIX}:${model}` as ModelRef,
        probe: id,
        index: 0,
        outcome: {
          status: 'ok',
          text: row.output ?? '',
          finishReason: 'stop',
          usage: { inputTokens: 0, outputTokens: 0 },
          temperatureUsed: 0,
        },
        latencyMs: 0,
        attempts: 1,
        costUsd: 0,
        at: '2024-01-01T00:00:00.000Z',
      });
    }
  }
  const suite: Suite = {
    name: 'alpaca-eval',
    version: '1',
    description: 'AlpacaEval 805 instructions',
    defaults: { sampling: { temperature: 0, maxTokens: 2048 }, samples: 1 },
    probes,
  };
  return {
    run: {
      name: run,
      suite,
      models: models.map((m) => `${ALPACA_PREFIX}:${m}` as ModelRef),
      samples: 1,
      status: 'finished',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      origin: 'import:alpaca-eval',
    },
    samples,
  };
}

/** FAMILIES.tsv as label -> family, keyed by the model ref used in the run. */
export function loadAlpacaFamilies(dir: string): Map<string, string> {
  const lines = fs.readFileSync(path.join(dir, 'FAMILIES.tsv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split('\t');
  const mi = header.indexOf('model');
  const fi = header.indexOf('family');
  const out = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const cols = line.split('\t');
    out.set(`${ALPACA_PREFIX}:${cols[mi]}`, cols[fi]!);
  }
  return out;
}
