// Benchmark prediction on the results screen (`phylo tui --scores FILE.tsv --column NAME`): each model's score
// predicted from its nearest neighbours in the distances shown (src/analysis/predict.ts, as `phylo predict`), with
// the nested leave-one-out r and MAE. Score rows name run models by ref or by bare name, as `phylo predict` matches.
import type { DistanceMatrix } from '../core/matrix.js';
import { predictScores, type ScorePrediction } from '../analysis/predict.js';

export interface BenchmarkScores {
  /** The TSV the scores came from (shown, never opened again). */
  readonly file: string;
  readonly column: string;
  /** Model name (ref or bare) -> score, as read from the file. */
  readonly values: ReadonlyMap<string, number>;
}

export type RunPrediction =
  | { readonly kind: 'done'; readonly prediction: ScorePrediction }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** The scores of the matrix's models, found by ref (`replay:gpt4_0613`) or by the name after the prefix. */
export function scoresOfLabels(labels: readonly string[], values: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const label of labels) {
    const bare = /^[a-z][a-z0-9_-]*:(.+)$/.exec(label)?.[1];
    const score = values.get(label) ?? (bare === undefined ? undefined : values.get(bare));
    if (score !== undefined) out.set(label, score);
  }
  return out;
}

export function predictForRun(matrix: DistanceMatrix, scores: BenchmarkScores): RunPrediction {
  const known = scoresOfLabels(matrix.labels, scores.values);
  if (known.size < 3)
    return {
      kind: 'unavailable',
      reason:
        `${known.size} model(s) of this run have a ${scores.column} score in ${scores.file}; ` +
        'leave-one-out needs at least 3 (rows name models by ref or bare name)',
    };
  return { kind: 'done', prediction: predictScores(matrix, known) };
}
