// Benchmark scores given by the user (a TSV with a `model` column and score columns, like AlpacaEval's leaderboard)
// and their matching to the models of a run. One reader for `phylo predict`, `phylo report --scores` and
// `phylo tui --scores`, so a bad file is refused with the same line everywhere.
import { InputError } from './errors.js';
import { familiesOfLeaves } from './families.js';
import { oneLine } from './sanitize.js';
import { readTextFile } from './text-file.js';

/** One score column of a scores file, read. */
export interface BenchmarkScores {
  /** The TSV the scores came from (shown, never opened again). */
  readonly file: string;
  readonly column: string;
  /** Model name (ref or bare, as written in the file) -> score. */
  readonly values: ReadonlyMap<string, number>;
}

/** The fewest scored models a prediction needs: the nested leave-one-out holds one out and validates on the rest. */
export const MIN_SCORED_MODELS = 3;

/** model -> score from a TSV with a `model` column and the named one; an empty cell is no score. */
export function readScores(file: string, column: string): Map<string, number> {
  const lines = readTextFile(file, 'scores').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  const mi = header.findIndex((h) => h.toLowerCase() === 'model');
  const ci = header.indexOf(column);
  if (mi < 0)
    throw new InputError(
      `scores ${file}: the first row must name a "model" column (tab-separated); found: ${oneLine(header.join(', '))}`,
    );
  if (ci < 0)
    throw new InputError(
      `scores ${file}: no column "${oneLine(column)}"; ` +
        `the columns are: ${oneLine(header.filter((_, i) => i !== mi).join(', '))}`,
    );
  const out = new Map<string, number>();
  lines.slice(1).forEach((line, k) => {
    if (line.trim() === '') return;
    const cells = line.split('\t');
    const model = (cells[mi] ?? '').trim();
    const cell = (cells[ci] ?? '').trim();
    if (model === '') throw new InputError(`scores ${file}: row ${k + 2} has no model name`);
    if (cell === '') return;
    const score = Number(cell);
    if (!Number.isFinite(score))
      throw new InputError(
        `scores ${file}: row ${k + 2} (${oneLine(model)}), column ${oneLine(column)}: ` +
          `"${oneLine(cell)}" is not a number`,
      );
    const before = out.get(model);
    if (before !== undefined && before !== score)
      throw new InputError(`scores ${file}: row ${k + 2} gives ${oneLine(model)} ${score}, an earlier row ${before}`);
    out.set(model, score);
  });
  return out;
}

/** The column `column` of `file`, read and checked (exit 2 on a bad file or column). */
export function readBenchmarkScores(file: string, column: string): BenchmarkScores {
  return { file, column, values: readScores(file, column) };
}

/**
 * Scores keyed by the run's model refs, matched as `phylo score` matches family labels: by the exact ref, else by the
 * name after the provider prefix (`gpt4_0613` finds `replay:gpt4_0613`). Rows naming no model are left out.
 */
export function scoresOfModels(models: readonly string[], values: ReadonlyMap<string, number>): Map<string, number> {
  const names = new Map([...values.keys()].map((m) => [m, m]));
  return new Map([...familiesOfLeaves(models, names)].map(([ref, { model }]) => [ref, values.get(model)!]));
}

/**
 * Why `known` (the scores matched to run `run`) cannot be predicted from, in one line; undefined when it can (at
 * least MIN_SCORED_MODELS scored models).
 */
export function unscorableReason(known: ReadonlyMap<string, number>, scores: BenchmarkScores, run: string) {
  const where = `scores ${scores.file}`;
  if (known.size === 0)
    return (
      `${where}: no row with a ${oneLine(scores.column)} score names a model of run ${oneLine(run)}; ` +
      'name them by model ref (replay:gpt4_0613) or bare name (gpt4_0613)'
    );
  if (known.size < MIN_SCORED_MODELS)
    return (
      `${where}: only ${known.size} model(s) of run ${oneLine(run)} have a ${oneLine(scores.column)} score; ` +
      `leave-one-out needs at least ${MIN_SCORED_MODELS}`
    );
  return undefined;
}

/** The scores of `models` (of run `run`); an InputError naming the file and column when fewer than 3 match. */
export function scoredModels(models: readonly string[], scores: BenchmarkScores, run: string): Map<string, number> {
  const known = scoresOfModels(models, scores.values);
  const reason = unscorableReason(known, scores, run);
  if (reason !== undefined) throw new InputError(reason);
  return known;
}
