// Benchmark prediction from phenotype distances (as PhyloLM predicts benchmark scores from its genetic distances,
// Yax et al. 2024, arXiv:2404.04671): a model's score is the distance-weighted mean of its k nearest scored models'.
// k and the weighting are chosen by leave-one-out on the scored models; the figure reported is a nested leave-one-out
// (each held-out model's setting is chosen without its own score), so the validation never peeks at the answer.
import type { DistanceMatrix } from '../core/matrix.js';

/** Weight of a neighbour at distance d is 1 / d^power; power 0 is the plain mean of the k nearest. */
export interface KnnSetting {
  readonly k: number;
  readonly power: number;
}

/** The candidate weightings, from the plain mean to sharply distance-weighted. */
export const KNN_POWERS: readonly number[] = [0, 1, 2, 4, 8];
/** The largest k tried (capped at the number of scored neighbours available). */
export const KNN_MAX_K = 10;

/** Every (k, power) from small to large k; ties in the inner choice go to the first, the simplest. */
export function knnGrid(maxK: number = KNN_MAX_K, powers: readonly number[] = KNN_POWERS): KnnSetting[] {
  const out: KnnSetting[] = [];
  for (let k = 1; k <= maxK; k++) for (const power of powers) out.push({ k, power });
  return out;
}

/**
 * Predicted score of model `target` (an index into the matrix) from the scored models in `pool` (indices; the
 * target itself is skipped). Neighbours at equal distance are taken in index order; neighbours at distance 0 (an
 * identical phenotype) take all the weight, shared equally.
 */
export function knnPredict(
  matrix: DistanceMatrix,
  target: number,
  pool: readonly number[],
  scores: ArrayLike<number>,
  setting: KnnSetting,
): number {
  const n = matrix.labels.length;
  const row = target * n;
  const neighbours = pool.filter((j) => j !== target);
  if (neighbours.length === 0) throw new Error('knnPredict: no scored neighbour to predict from');
  neighbours.sort((a, b) => matrix.values[row + a]! - matrix.values[row + b]! || a - b);
  const nearest = neighbours.slice(0, Math.min(setting.k, neighbours.length));
  const exact = nearest.filter((j) => matrix.values[row + j]! <= 0);
  if (exact.length > 0) return mean(exact.map((j) => scores[j]!));
  let sum = 0;
  let weights = 0;
  for (const j of nearest) {
    const w = setting.power === 0 ? 1 : matrix.values[row + j]! ** -setting.power;
    sum += w * scores[j]!;
    weights += w;
  }
  return sum / weights;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Pearson's correlation coefficient; NaN when either side is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

export function meanAbsoluteError(predicted: ArrayLike<number>, observed: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < predicted.length; i++) s += Math.abs(predicted[i]! - observed[i]!);
  return s / predicted.length;
}

/** Leave-one-out predictions of every model in `pool` from the others in it, with one fixed setting. */
export function leaveOneOut(
  matrix: DistanceMatrix,
  pool: readonly number[],
  scores: ArrayLike<number>,
  setting: KnnSetting,
): number[] {
  return pool.map((i) => knnPredict(matrix, i, pool, scores, setting));
}

/** The setting of `grid` with the smallest leave-one-out mean absolute error over `pool` (first one on a tie). */
export function chooseSetting(
  matrix: DistanceMatrix,
  pool: readonly number[],
  scores: ArrayLike<number>,
  grid: readonly KnnSetting[],
): KnnSetting {
  const observed = pool.map((i) => scores[i]!);
  let best: { setting: KnnSetting; mae: number } | undefined;
  for (const setting of grid) {
    if (setting.k > pool.length - 1 && best !== undefined) continue;
    const mae = meanAbsoluteError(leaveOneOut(matrix, pool, scores, setting), observed);
    if (best === undefined || mae < best.mae - 1e-12) best = { setting, mae };
  }
  if (best === undefined) throw new Error('chooseSetting: empty grid');
  return best.setting;
}

export interface ModelPrediction {
  readonly model: string;
  readonly predicted: number;
  /** The score given for it, when it has one. */
  readonly observed?: number;
  /**
   * True for a scored model: its prediction is the outer leave-one-out one, made (and its setting chosen) without
   * its own score. False for a model with no score, predicted from every scored model.
   */
  readonly heldOut: boolean;
  /** The setting the prediction was made with. */
  readonly setting: KnnSetting;
}

export interface ScorePrediction {
  /** Nested leave-one-out over the scored models: Pearson r and mean absolute error of the held-out predictions. */
  readonly looPearson: number;
  readonly looMAE: number;
  /** The trivial baseline: each scored model predicted by the mean of the other scores (its LOO MAE). */
  readonly baselineMAE: number;
  /** The setting chosen by leave-one-out on all scored models: the one the unscored models are predicted with. */
  readonly setting: KnnSetting;
  readonly scored: number;
  /** Every model of the matrix, in matrix order. */
  readonly predictions: readonly ModelPrediction[];
}

export interface PredictOptions {
  /** The candidate settings (default: knnGrid()). */
  readonly grid?: readonly KnnSetting[];
}

/**
 * Predict every model's score from its neighbours in `matrix`. `scores` maps matrix labels to known scores (labels
 * absent from the matrix are ignored by the caller's matching, not here: every key must be a label). Needs at least
 * 3 scored models: the nested validation holds one out and chooses a setting by leave-one-out on the rest.
 */
export function predictScores(
  matrix: DistanceMatrix,
  scores: ReadonlyMap<string, number>,
  options: PredictOptions = {},
): ScorePrediction {
  const grid = options.grid ?? knnGrid();
  const n = matrix.labels.length;
  const values = new Float64Array(n).fill(NaN);
  const pool: number[] = [];
  matrix.labels.forEach((label, i) => {
    const s = scores.get(label);
    if (s !== undefined) {
      values[i] = s;
      pool.push(i);
    }
  });
  for (const label of scores.keys())
    if (!matrix.labels.includes(label)) throw new Error(`predictScores: ${label} is not a label of the matrix`);
  if (pool.length < 3) throw new Error(`predictScores: ${pool.length} scored model(s); at least 3 are needed`);

  const heldOut = new Map<number, { predicted: number; setting: KnnSetting }>();
  for (const i of pool) {
    const rest = pool.filter((j) => j !== i);
    const setting = chooseSetting(matrix, rest, values, grid);
    heldOut.set(i, { predicted: knnPredict(matrix, i, rest, values, setting), setting });
  }
  const setting = chooseSetting(matrix, pool, values, grid);
  const predicted = pool.map((i) => heldOut.get(i)!.predicted);
  const observed = pool.map((i) => values[i]!);
  const total = observed.reduce((a, b) => a + b, 0);
  const others = observed.map((s) => (total - s) / (observed.length - 1));

  return {
    looPearson: pearson(predicted, observed),
    looMAE: meanAbsoluteError(predicted, observed),
    baselineMAE: meanAbsoluteError(others, observed),
    setting,
    scored: pool.length,
    predictions: matrix.labels.map((model, i): ModelPrediction => {
      const h = heldOut.get(i);
      return h
        ? { model, predicted: h.predicted, observed: values[i]!, heldOut: true, setting: h.setting }
        : { model, predicted: knnPredict(matrix, i, pool, values, setting), heldOut: false, setting };
    }),
  };
}
