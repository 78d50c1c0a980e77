// `phylo predict RUN --scores FILE.tsv --column NAME`: predict each model's benchmark score from its nearest
// neighbours in the run's phenotype distances, validated by leave-one-out (src/analysis/predict.ts). Reads the store
// only; never queries a model.
import type { Command } from 'commander';
import { analyseRunLazily } from '../analysis/analysed-run.js';
import { knnGrid, KNN_MAX_K, KNN_POWERS, predictScores, type KnnSetting } from '../analysis/predict.js';
import { DEFAULT_SIGNAL } from '../analysis/signals/index.js';
import { readBenchmarkScores, scoredModels } from '../core/benchmark-scores.js';
import { parseInteger } from '../core/parse-number.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { runName } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import type { RunData } from '../core/run.js';
import { openStoreReadonly } from '../store/sqlite.js';

interface PredictFlags {
  scores: string;
  column: string;
  signal: string;
  k?: string;
  json?: boolean;
  results?: string;
}

function gridFor(k: string | undefined): KnnSetting[] {
  if (k === undefined) return knnGrid();
  const v = parseInteger('--k', k, { min: 1 });
  return KNN_POWERS.map((power) => ({ k: v, power }));
}

const describe = (s: KnnSetting) => `k=${s.k}, ${s.power === 0 ? 'plain mean' : `weight 1/d^${s.power}`}`;
const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

export function register(program: Command): void {
  program
    .command('predict')
    .description("predict models' benchmark scores from their nearest neighbours in the phenotype distances")
    .argument('<run>', 'run name (see phylo runs)')
    .requiredOption('--scores <file>', 'TSV with a header naming a "model" column and the score column')
    .requiredOption('--column <name>', 'the score column to predict')
    .option('--signal <signal>', 'the distances to use (as phylo tree --signal)', DEFAULT_SIGNAL)
    .option('--k <k>', `fix the number of neighbours (default: chosen by leave-one-out, 1 to ${KNN_MAX_K})`)
    .option('--json', 'print JSON')
    .option(...RESULTS_OPTION)
    .addHelpText(
      'after',
      `
Each model's score is the distance-weighted mean of its k nearest scored models' (weight 1/d^p, p in
${KNN_POWERS.join(', ')}). k and p are chosen by leave-one-out on the scored models. The validation is nested: each
scored model is predicted with a setting chosen by leave-one-out on the other scored models, without its own score;
r and MAE are over those held-out predictions. Models with no score (absent from the file, or an empty cell) are
predicted from every scored model. Score rows match run models by ref or by bare name (gpt4_0613 finds
replay:gpt4_0613), as phylo score does.

Examples:
  $ phylo predict alpaca --scores ../shared/data/alpaca_eval/LEADERBOARD.tsv --column lc_win_rate
  $ phylo predict alpaca --scores scores.tsv --column mmlu --signal combined --k 3 --json
`,
    )
    .action((run: string, flags: PredictFlags) => {
      const grid = gridFor(flags.k);
      const given = readBenchmarkScores(flags.scores, flags.column);
      const store = openStoreReadonly(resultsDir(flags.results));
      let data: RunData;
      try {
        data = store.loadRun(runName(run));
      } finally {
        store.close();
      }
      // Checked on the run's models before the (slow) analysis, then again on the models with answers.
      scoredModels(data.run.models, given, run);
      const analysed = analyseRunLazily(data, {
        onProgress: (stage) => process.stderr.write(`${oneLine(stage)}\n`),
      });
      const signal = analysed.availableSignal(flags.signal);
      const matrix = analysed.matrix(signal);
      const scores = scoredModels(matrix.labels, given, run);
      const r = predictScores(matrix, scores, { grid });
      if (flags.json) {
        const json = {
          run,
          column: flags.column,
          signal,
          metric: matrix.metric,
          scored: r.scored,
          looPearson: Number.isFinite(r.looPearson) ? r.looPearson : null,
          looMAE: r.looMAE,
          baselineMAE: r.baselineMAE,
          setting: r.setting,
          predictions: r.predictions,
        };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      const rows = [...r.predictions].sort((a, b) => b.predicted - a.predicted);
      const width = Math.max(5, ...rows.map((p) => oneLine(p.model).length));
      const lines = [`${'model'.padEnd(width)}  ${'score'.padStart(8)}  ${'predicted'.padStart(9)}`];
      for (const p of rows) {
        const observed = p.observed === undefined ? '-' : p.observed.toFixed(2);
        const mark = p.heldOut ? ' (held out)' : '';
        lines.push(
          `${oneLine(p.model).padEnd(width)}  ${observed.padStart(8)}  ${p.predicted.toFixed(2).padStart(9)}${mark}`,
        );
      }
      lines.push(
        '',
        `${oneLine(flags.column)} from ${signal} distances (${oneLine(matrix.metric)}): ` +
          `nested leave-one-out over ${r.scored} scored models: r = ${fixed(r.looPearson)}, ` +
          `MAE = ${fixed(r.looMAE)} (mean of the others: MAE ${fixed(r.baselineMAE)})`,
        `${r.predictions.length - r.scored} model(s) without a score predicted with ${describe(r.setting)} ` +
          '(chosen by leave-one-out)',
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
