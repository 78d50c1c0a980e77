// The effect size of an equality test: MMD^2 (Gretton et al. 2012) between A's and B's responses on unit-norm character
// 3-gram profiles (cosine kernel), as a U-statistic over probes of the per-probe mean differences d_p:
//   U = sum_{p != q} <d_p, d_q> / (P (P - 1)),   E[U] = ||mu_A - mu_B||^2 over the probe distribution,
// with a percentile bootstrap interval over probes (Efron & Tibshirani 1993) that leaves out pairs of copies of one
// probe, so a resample is as unbiased as the estimate.
import type { Rng } from '../core/random.js';
import { NGRAM_DIM } from './features.js';
import type { Layout } from './layout.js';

export interface Effect {
  estimate: number;
  ci95: [number, number];
  name: string;
}

export const EFFECT_NAME = 'MMD² of character 3-gram profiles (cosine kernel, U-statistic over probes)';

/** Per-probe differences of A's and B's mean profiles (probes x NGRAM_DIM) and their squared norms. */
function probeDifferences(layout: Layout): { d: Float64Array; norms: Float64Array } {
  const P = layout.probes.length;
  const D = NGRAM_DIM;
  const d = new Float64Array(P * D);
  const norms = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    const s = layout.start[p]!;
    const e = layout.start[p + 1]!;
    const nA = layout.countA[p]!;
    for (let r = s; r < e; r++) {
      const w = r < s + nA ? 1 / nA : -1 / (e - s - nA);
      for (let k = 0; k < D; k++) d[p * D + k]! += w * layout.ngram[r * D + k]!;
    }
    let sq = 0;
    for (let k = 0; k < D; k++) sq += d[p * D + k]! ** 2;
    norms[p] = sq;
  }
  return { d, norms };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** U over probes weighted by counts c_p: (||sum c_p d_p||^2 - sum c_p^2 ||d_p||^2) / (P^2 - sum c_p^2). */
function weightedU(d: Float64Array, norms: Float64Array, counts: Int32Array, sum: Float64Array): number {
  const D = NGRAM_DIM;
  sum.fill(0);
  let diag = 0;
  let total = 0;
  let squares = 0;
  for (let p = 0; p < counts.length; p++) {
    const c = counts[p]!;
    if (c === 0) continue;
    for (let k = 0; k < D; k++) sum[k]! += c * d[p * D + k]!;
    diag += c * c * norms[p]!;
    total += c;
    squares += c * c;
  }
  let sq = 0;
  for (let k = 0; k < D; k++) sq += sum[k]! * sum[k]!;
  const pairs = total * total - squares;
  return pairs > 0 ? (sq - diag) / pairs : Number.NaN;
}

export function bootstrapEffect(layout: Layout, replicates: number, rng: Rng): Effect {
  const P = layout.probes.length;
  const { d, norms } = probeDifferences(layout);
  const sum = new Float64Array(NGRAM_DIM);
  const counts = new Int32Array(P).fill(1);
  const estimate = weightedU(d, norms, counts, sum);
  const reps = new Float64Array(Math.max(0, replicates));
  for (let r = 0; r < reps.length; r++) {
    counts.fill(0);
    for (let i = 0; i < P; i++) counts[Math.floor(rng() * P)]!++;
    reps[r] = weightedU(d, norms, counts, sum);
  }
  reps.sort();
  return { estimate, ci95: [quantile(reps, 0.025), quantile(reps, 0.975)], name: EFFECT_NAME };
}
