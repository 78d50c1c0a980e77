// Benchmark prediction on the results screen (`phylo tui --scores FILE.tsv --column NAME`): each model's score
// predicted from its nearest neighbours in the distances shown (src/analysis/predict.ts, as `phylo predict`), with
// the nested leave-one-out r and MAE. Score rows name run models by ref or by bare name, as `phylo predict` matches.
import type { DistanceMatrix } from '../core/matrix.js';
import { predictScores, type ScorePrediction } from '../analysis/predict.js';
import { type BenchmarkScores, MIN_SCORED_MODELS, scoresOfModels } from '../core/benchmark-scores.js';

export type RunPrediction =
  | { readonly kind: 'done'; readonly prediction: ScorePrediction }
  | { readonly kind: 'unavailable'; readonly reason: string };

export function predictForRun(matrix: DistanceMatrix, scores: BenchmarkScores): RunPrediction {
  const known = scoresOfModels(matrix.labels, scores.values);
  if (known.size < MIN_SCORED_MODELS)
    return {
      kind: 'unavailable',
      reason:
        `${known.size} model(s) of this run have a ${scores.column} score in ${scores.file}; ` +
        `leave-one-out needs at least ${MIN_SCORED_MODELS} (rows name models by ref or bare name)`,
    };
  return { kind: 'done', prediction: predictScores(matrix, known) };
}
