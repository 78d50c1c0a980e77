// The results screen's data from a real stored run: five AlpacaEval models (../shared/data), imported and analysed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { importAlpacaEval } from '../../src/store/import-alpaca-eval.js';
import { analyseForTui } from '../../src/tui/analysis-adapter.js';
import { runWithLogprobs, top } from '../phenotype/logprob-fixtures.js';
import { leafLabels, preorder } from '../../src/phylo/index.js';
import { runName } from '../../src/core/refs.js';
import type { ResultsData } from '../../src/tui/backend.js';
import { testModelsOfRun } from '../../src/tui/audit-run.js';
import { testEquality } from '../../src/audit/equality.js';
import { modelSamples } from '../../src/audit/model-samples.js';
import { readBenchmarkScores } from '../../src/core/benchmark-scores.js';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/alpaca_eval');
const MODELS = ['claude-2', 'claude-2.1', 'gpt4_0613', 'llama-2-7b-chat-hf', 'llama-2-13b-chat-hf'];

let tmp: string;
let store: SqliteStore;
let results: ResultsData;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-tui-analysis-'));
  const subset = path.join(tmp, 'alpaca');
  for (const m of MODELS) {
    fs.mkdirSync(path.join(subset, m), { recursive: true });
    fs.copyFileSync(path.join(DATA, m, 'model_outputs.json'), path.join(subset, m, 'model_outputs.json'));
  }
  store = openStore(path.join(tmp, 'results'));
  importAlpacaEval(store, subset, { name: 'alpaca5' });
  results = await analyseForTui(store.loadRun(runName('alpaca5')), { bootstrap: 10, seed: 3 });
});

afterAll(() => {
  store?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('analyseForTui on AlpacaEval outputs', () => {
  it('offers the signals one sample per probe allows, each a symmetric matrix over the five models', () => {
    expect(results.signals).toEqual(['embed', 'traits', 'combined']);
    for (const signal of results.signals) {
      const m = results.matrix(signal);
      expect([...m.labels].sort()).toEqual(MODELS.map((x) => `replay:${x}`).sort());
      const n = m.labels.length;
      for (let i = 0; i < n; i++) {
        expect(m.values[i * n + i]).toBe(0);
        for (let j = 0; j < n; j++) expect(m.values[i * n + j]).toBeCloseTo(m.values[j * n + i]!, 12);
      }
    }
  });

  it('builds trees by every method with bootstrap support on the internal branches', () => {
    for (const method of ['nj', 'bionj', 'upgma', 'bme'] as const) {
      const tree = results.tree('embed', method);
      expect(leafLabels(tree).sort()).toEqual([...results.models].sort());
      const supports = preorder(tree.root)
        .filter((n) => n.children.length > 0 && n.support !== undefined)
        .map((n) => n.support!);
      expect(supports.length).toBeGreaterThan(0);
      for (const s of supports) expect(s >= 0 && s <= 1).toBe(true);
    }
    expect(results.tree('embed', 'nj')).toBe(results.tree('embed', 'nj'));
    expect(results.matrix('traits')).toBe(results.matrix('traits'));
  });

  it('names the signals this run offers when asked for one it cannot give', () => {
    expect(() => results.tree('alleles', 'nj')).toThrow(/this run offers: embed, traits, combined$/);
  });

  it('gives a trait row per model and the stored responses as evidence', () => {
    expect(results.traits.rows.map((r) => r.model).sort()).toEqual([...results.models].sort());
    expect(results.traits.traits).toContain('words');
    const outputs = JSON.parse(fs.readFileSync(path.join(DATA, 'claude-2', 'model_outputs.json'), 'utf8')) as {
      instruction: string;
      output: string;
    }[];
    const probe = results.probes.find((p) => p.prompt === outputs[0]!.instruction)!;
    expect(probe).toBeDefined();
    const claude = results.responses(probe.id).find((r) => r.model === 'replay:claude-2')!;
    expect(claude.texts).toEqual([outputs[0]!.output]);
    expect(results.defaultMethod?.('embed')).toBe('upgma');
  });
});

describe("the results screen's equality test and report on AlpacaEval outputs", () => {
  it('tests two models on their stored samples: the verdict of phylo audit equal on the run', async () => {
    const a = 'replay:claude-2';
    const b = 'replay:llama-2-7b-chat-hf';
    expect(results.samples?.(a).length).toBe(805);
    const options = { permutations: 200, seed: 1 };
    // On a worker thread (the app keeps drawing meanwhile), and on this one: the same result as the CLI's.
    const { result: tui, ranOn } = await testModelsOfRun(results, a, b, options);
    expect(ranOn).toBe('worker');
    const data = store.loadRun(runName('alpaca5'));
    const cli = testEquality(modelSamples(data, a), modelSamples(data, b), options);
    expect(tui).toEqual(cli);
    expect(await testModelsOfRun(results, a, b, options, 'main')).toEqual({ result: cli, ranOn: 'main' });
    expect(tui.reject).toBe(true);
    expect(tui.pValue).toBeLessThan(0.01);
    expect(tui.probes).toBe(805);
    expect(tui.topProbes.length).toBeGreaterThan(0);
  });

  it('writes the HTML report of the analysed run, every model in it, figures beside it', async () => {
    const out = path.join(tmp, 'results', 'alpaca5', 'report.html');
    const written = await results.writeReport!(out, ['embed']);
    expect(written.file).toBe(out);
    const html = fs.readFileSync(out, 'utf8');
    for (const m of MODELS) expect(html).toContain(`replay:${m}`);
    expect(written.figures.length).toBeGreaterThanOrEqual(3);
    for (const f of written.figures) expect(fs.existsSync(f)).toBe(true);
    expect(html).toContain('phylo report alpaca5 --signal embed');
  });

  it('writes the predicted scores into the report when the app was started with them (h with --scores)', async () => {
    const out = path.join(tmp, 'results', 'alpaca5', 'scored.html');
    const file = path.join(DATA, 'LEADERBOARD.tsv');
    const written = await results.writeReport!(out, ['embed'], readBenchmarkScores(file, 'lc_win_rate'));
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('<section id="prediction">');
    expect(html.match(/<tr class="held-out">/g)).toHaveLength(MODELS.length);
    expect(written.figures.some((f) => f.endsWith('scored-prediction.svg'))).toBe(true);
    expect(html).toContain(`phylo report alpaca5 --signal embed --scores ${file} --column lc_win_rate`);
  });
});

describe('analyseForTui on a run with top logprobs', () => {
  it('offers the logprobs signal and builds its tree', async () => {
    const models = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
    const cells = models.flatMap((model) =>
      Array.from({ length: 8 }, (_, p) => ({ model, probe: `p${p}`, texts: ['same answer'] })),
    );
    const data = runWithLogprobs(cells, (m, p) =>
      top([
        [`${m[0]}-${p}`, 0.6],
        [`${m}-${p}`, 0.2],
      ]),
    );
    const r = await analyseForTui(data, { bootstrap: 5, seed: 1 });
    expect(r.signals).toContain('logprobs');
    const tree = r.tree('logprobs', 'bionj');
    expect(leafLabels(tree).sort()).toEqual([...r.models].sort());
  });
});
