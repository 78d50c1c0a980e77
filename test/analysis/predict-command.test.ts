// `phylo predict` on the real AlpacaEval run (../shared/data/alpaca_eval): the leaderboard's win rates predicted from
// the phenotype distances, with leave-one-out figures; models without a score predicted; bad input exits 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAlpacaEval } from '../../src/store/import-alpaca-eval.js';
import { openStore } from '../../src/store/sqlite.js';
import { runCli } from '../helpers/run-cli.js';

const DATA = '../shared/data/alpaca_eval';
const LEADERBOARD = path.join(DATA, 'LEADERBOARD.tsv');
// Taken out of the scores file to be predicted as models with no score.
const UNSCORED = ['gpt-4o-mini-2024-07-18', 'claude-2.1', 'phi-2-sft'];

interface PredictJson {
  column: string;
  scored: number;
  looPearson: number;
  looMAE: number;
  baselineMAE: number;
  predictions: { model: string; predicted: number; observed?: number; heldOut: boolean }[];
}

/** The row with its `column`-th cell (0 = model) replaced. */
const withCell = (row: string, column: number, value: string) =>
  row
    .split('\t')
    .map((c, i) => (i === column ? value : c))
    .join('\t');

let results: string;
let scoresDir: string;

beforeAll(() => {
  results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-predict-cmd-'));
  scoresDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-predict-scores-'));
  const store = openStore(results);
  importAlpacaEval(store, DATA, { name: 'alpaca' });
  store.close();
  const lines = fs.readFileSync(LEADERBOARD, 'utf8').trim().split('\n');
  // Two models dropped, one left with an empty cell: all three have no score.
  const partial = lines
    .filter((l) => !UNSCORED.slice(0, 2).some((m) => l.startsWith(`${m}\t`)))
    .map((l) => (l.startsWith(`${UNSCORED[2]}\t`) ? withCell(l, 2, '') : l));
  fs.writeFileSync(path.join(scoresDir, 'partial.tsv'), `${partial.join('\n')}\n`);
  fs.writeFileSync(path.join(scoresDir, 'bad.tsv'), `${lines[0]}\n${lines[1]}\n${withCell(lines[2]!, 3, 'many')}\n`);
  fs.writeFileSync(path.join(scoresDir, 'strangers.tsv'), 'model\tscore\nnot-a-model\t1\nanother\t2\nthird\t3\n');
}, 300_000);

afterAll(() => {
  fs.rmSync(results, { recursive: true, force: true });
  fs.rmSync(scoresDir, { recursive: true, force: true });
});

const predict = (...args: string[]) => runCli(['predict', 'alpaca', '--results', results, ...args]);

describe('phylo predict on AlpacaEval', () => {
  it('predicts lc_win_rate with leave-one-out r and MAE, for every model', { timeout: 300_000 }, async () => {
    const r = await predict('--scores', LEADERBOARD, '--column', 'lc_win_rate', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as PredictJson;
    expect(json.column).toBe('lc_win_rate');
    expect(json.scored).toBe(38);
    expect(Number.isFinite(json.looPearson)).toBe(true);
    expect(Number.isFinite(json.looMAE)).toBe(true);
    // Measured: r 0.926, MAE 4.45 against 11.78 for the mean of the others (the trivial baseline).
    expect(json.looPearson).toBeGreaterThan(0.9);
    expect(json.looMAE).toBeLessThan(json.baselineMAE / 2);
    expect(json.predictions).toHaveLength(38);
    expect(json.predictions.every((p) => p.heldOut && typeof p.observed === 'number')).toBe(true);
  });

  it('predicts the models without a score and says which predictions are held out', { timeout: 300_000 }, async () => {
    const r = await predict('--scores', path.join(scoresDir, 'partial.tsv'), '--column', 'lc_win_rate', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as PredictJson;
    expect(json.scored).toBe(35);
    expect(json.predictions).toHaveLength(38);
    const unscored = json.predictions.filter((p) => !p.heldOut).map((p) => p.model);
    expect(unscored.sort()).toEqual(UNSCORED.map((m) => `replay:${m}`).sort());
    for (const p of json.predictions) expect(Number.isFinite(p.predicted)).toBe(true);
    // gpt-4o-mini (50.7) is predicted from its neighbours, gpt-4o first among them: well above the median model.
    const mini = json.predictions.find((p) => p.model === `replay:${UNSCORED[0]}`)!;
    expect(mini.predicted).toBeGreaterThan(30);

    const text = await predict('--scores', path.join(scoresDir, 'partial.tsv'), '--column', 'lc_win_rate', '--k', '3');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/nested leave-one-out over 35 scored models: r = 0\.\d+, MAE = \d+\.\d+/);
    expect(text.out).toMatch(/3 model\(s\) without a score predicted with k=3/);
  });

  it('exits 2 with one line naming the file, column or row on bad input', async () => {
    const missing = await predict('--scores', LEADERBOARD, '--column', 'mmlu');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/LEADERBOARD\.tsv: no column "mmlu"; the columns are: win_rate, lc_win_rate/);

    const bad = await predict('--scores', path.join(scoresDir, 'bad.tsv'), '--column', 'avg_length');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.tsv: row 3 \(gpt4_1106_preview\), column avg_length: "many" is not a number/);

    const strangers = await predict('--scores', path.join(scoresDir, 'strangers.tsv'), '--column', 'score');
    expect(strangers.code).toBe(2);
    expect(strangers.err).toMatch(/strangers\.tsv: no row with a score score names a model of run alpaca/);

    const noFile = await predict('--scores', path.join(scoresDir, 'absent.tsv'), '--column', 'score');
    expect(noFile.code).toBe(2);
    expect(noFile.err).toMatch(/absent\.tsv: cannot read it \(ENOENT\)/);

    const k = await predict('--scores', LEADERBOARD, '--column', 'lc_win_rate', '--k', '0');
    expect(k.code).toBe(2);
    for (const r of [missing, bad, strangers, noFile, k]) expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
