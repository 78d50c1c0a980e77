// `phylo report RUN --scores FILE --column NAME` on real AlpacaEval answers (12 of the 38 models of
// ../shared/data/alpaca_eval, from six families, with their leaderboard win rates): the "Predicted benchmark scores"
// section gives the same nested leave-one-out r, MAE and baseline as `phylo predict --json` on the same run and
// scores, a row for every model with the same prediction, the models without a score predicted and marked so, and
// the scatter as a standalone .svg beside the page.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../collect/fakes.js';
import { runCli } from '../helpers/run-cli.js';
import { alpacaEvalDir } from '../analysis/alpaca-fixture.js';
import { expectSelfContained } from './page-checks.js';

const DATA = alpacaEvalDir();
const MODELS = [
  'gpt4_0613',
  'gpt4_1106_preview',
  'gpt-4o-2024-05-13',
  'gpt-4o-mini-2024-07-18',
  'claude-2',
  'claude-2.1',
  'claude-3-opus-20240229',
  'llama-2-7b-chat-hf',
  'llama-2-13b-chat-hf',
  'llama-2-70b-chat-hf',
  'Qwen1.5-72B-Chat',
  'phi-2-sft',
];
// No score for these: one row taken out of the file, one left with an empty cell.
const UNSCORED = ['gpt-4o-mini-2024-07-18', 'claude-2.1'];

interface PredictJson {
  column: string;
  signal: string;
  scored: number;
  looPearson: number;
  looMAE: number;
  baselineMAE: number;
  setting: { k: number; power: number };
  predictions: { model: string; predicted: number; observed?: number; heldOut: boolean }[];
}

/** The text of a facts row (<dt>name</dt><dd>value</dd>) of the prediction section. */
function fact(section: string, name: string): string {
  const m = new RegExp(`<dt>${name}</dt><dd>([^<]*)</dd>`).exec(section);
  if (!m) throw new Error(`no fact "${name}" in the prediction section`);
  return m[1]!;
}

/** Table rows of the prediction section: class, model, score, predicted and the last cell. */
function rows(section: string) {
  const out: { kind: string; model: string; score: string; predicted: string; note: string }[] = [];
  const cell = (cls: string) => `<td${cls}>([^<]*)</td>`;
  const row = new RegExp(
    `<tr class="([a-z-]+)">${cell(' class="model"')}${cell(' class="num"')}${cell(' class="num"')}` +
      `${cell(' class="num"')}${cell('')}</tr>`,
    'g',
  );
  for (const m of section.matchAll(row))
    out.push({ kind: m[1]!, model: m[2]!, score: m[3]!, predicted: m[4]!, note: m[6]! });
  return out;
}

describe.skipIf(!DATA)('phylo report --scores on AlpacaEval answers', () => {
  let dir: string;
  let results: string;
  let scores: string;
  let out: string;
  let html: string;
  let section: string;
  let figures: string[];
  let predicted: PredictJson;

  beforeAll(async () => {
    dir = tempDir('phylo-report-prediction-');
    const subset = path.join(dir, 'alpaca');
    for (const m of MODELS) {
      fs.mkdirSync(path.join(subset, m), { recursive: true });
      fs.copyFileSync(path.join(DATA!, m, 'model_outputs.json'), path.join(subset, m, 'model_outputs.json'));
    }
    results = path.join(dir, 'results');
    const imported = await runCli(['import', 'alpaca-eval', subset, '--name', 'alpaca12', '--results', results]);
    expect(imported.code, imported.err).toBe(0);
    const lines = fs.readFileSync(path.join(DATA!, 'LEADERBOARD.tsv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split('\t');
    const lc = header.indexOf('lc_win_rate');
    const partial = lines
      .filter((l) => !l.startsWith(`${UNSCORED[0]}\t`))
      .map((l) =>
        l.startsWith(`${UNSCORED[1]}\t`)
          ? l
              .split('\t')
              .map((c, i) => (i === lc ? '' : c))
              .join('\t')
          : l,
      );
    scores = path.join(dir, 'scores.tsv');
    fs.writeFileSync(scores, `${partial.join('\n')}\n`);

    const p = await runCli([
      'predict',
      'alpaca12',
      '--scores',
      scores,
      '--column',
      'lc_win_rate',
      '--json',
      '--results',
      results,
    ]);
    expect(p.code, p.err).toBe(0);
    predicted = JSON.parse(p.out) as PredictJson;
    out = path.join(dir, 'report', 'alpaca12.html');
    const args = ['report', 'alpaca12', '--scores', scores, '--column', 'lc_win_rate', '--bootstrap', '0'];
    const r = await runCli([...args, '--out', out, '--results', results, '--json']);
    expect(r.code, r.err).toBe(0);
    figures = (JSON.parse(r.out) as { figures: string[] }).figures;
    html = fs.readFileSync(out, 'utf8');
    const start = html.indexOf('<section id="prediction">');
    section = html.slice(start, html.indexOf('</section>', start));
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the nested leave-one-out r, MAE and baseline that phylo predict --json gives', () => {
    expect(predicted.scored).toBe(MODELS.length - UNSCORED.length);
    // The prediction is worth reporting: measured r 0.892, MAE 6.70 against a baseline of 17.01 on these 10 scores.
    expect(predicted.looPearson).toBeGreaterThan(0.8);
    expect(predicted.looMAE).toBeLessThan(predicted.baselineMAE);
    expect(section).toContain('<h2>Predicted benchmark scores</h2>');
    expect(html).toContain('<a href="#prediction">');
    expect(fact(section, 'leave-one-out r')).toBe(
      `${predicted.looPearson.toFixed(3)} (Pearson, nested, over the ${predicted.scored} scored models)`,
    );
    expect(fact(section, 'leave-one-out MAE')).toBe(predicted.looMAE.toFixed(3));
    expect(fact(section, 'baseline MAE')).toMatch(new RegExp(`^${predicted.baselineMAE.toFixed(3)} \\(`));
    expect(fact(section, 'distances')).toMatch(new RegExp(`^${predicted.signal} \\(`));
    expect(fact(section, 'score column')).toBe(`lc_win_rate (from ${scores})`);
    expect(fact(section, 'models')).toBe(`12: 10 with a score, 2 without`);
    const weight = predicted.setting.power === 0 ? 'plain mean' : `weight 1/d^${predicted.setting.power}`;
    expect(fact(section, 'models without a score')).toBe(`predicted with k=${predicted.setting.k}, ${weight}`);
  });

  it('has a row for every model with the prediction phylo predict makes; models without a score are marked', () => {
    const table = rows(section);
    expect(table.map((r) => r.model).sort()).toEqual(MODELS.map((m) => `replay:${m}`).sort());
    // Highest prediction first, as phylo predict prints them.
    const values = table.map((r) => Number(r.predicted));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    for (const p of predicted.predictions) {
      const row = table.find((r) => r.model === p.model)!;
      expect(row.predicted, p.model).toBe(p.predicted.toFixed(2));
      expect(row.kind, p.model).toBe(p.heldOut ? 'held-out' : 'unscored');
      expect(row.score, p.model).toBe(p.observed === undefined ? '-' : p.observed.toFixed(2));
    }
    const unscored = table.filter((r) => r.kind === 'unscored');
    expect(unscored.map((r) => r.model).sort()).toEqual(UNSCORED.map((m) => `replay:${m}`).sort());
    for (const r of unscored) {
      expect(r.note).toMatch(/^no score: predicted \(k=\d+, /);
      expect(Number.isFinite(Number(r.predicted))).toBe(true);
    }
    expect(table.filter((r) => r.kind === 'held-out').every((r) => r.note.startsWith('held out'))).toBe(true);
  });

  it('draws the scatter inline and as a standalone .svg beside the page, one point per scored model', () => {
    expectSelfContained(html);
    const file = figures.find((f) => f.endsWith('alpaca12-prediction.svg'));
    expect(file).toBeDefined();
    expect(path.dirname(file!)).toBe(path.dirname(out));
    const svg = fs.readFileSync(file!, 'utf8');
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(svg.match(/aria-roledescription="circle"/g)).toHaveLength(10);
    expect(svg).toContain(`r ${predicted.looPearson.toFixed(3)}, MAE ${predicted.looMAE.toFixed(2)}`);
    expect(section).toContain('data-figure="prediction"');
    expect(section).toContain('the 2 model(s) without a score are in the table only');
    // The footer gives the command that makes this report again, scores included.
    expect(html).toContain(`--scores ${scores} --column lc_win_rate`);
  });
});
