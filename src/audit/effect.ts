// The effect size of an equality test: the unbiased MMD^2 (Gretton et al. 2012) between A's and B's responses on the
// character 3-gram features (cosine kernel), with a percentile bootstrap interval over probes (Efron & Tibshirani 1993).
import type { Rng } from '../core/random.js';
import { NGRAM_DIM } from './features.js';
import type { Layout } from './layout.js';

export interface Effect {
  estimate: number;
  ci95: [number, number];
  name: string;
}

export const EFFECT_NAME = 'MMD² of character 3-gram profiles (unbiased, cosine kernel)';

interface ProbeSums {
  readonly a: Float64Array; // probes x NGRAM_DIM
  readonly b: Float64Array;
  readonly nA: Float64Array;
  readonly nB: Float64Array;
  readonly sqA: Float64Array; // sum of squared norms per probe
  readonly sqB: Float64Array;
}

function probeSums(layout: Layout): ProbeSums {
  const P = layout.probes.length;
  const D = NGRAM_DIM;
  const W = layout.pooled.width;
  const X = layout.pooled.rows;
  const out = {
    a: new Float64Array(P * D),
    b: new Float64Array(P * D),
    nA: new Float64Array(P),
    nB: new Float64Array(P),
    sqA: new Float64Array(P),
    sqB: new Float64Array(P),
  };
  for (let p = 0; p < P; p++) {
    const s = layout.start[p]!;
    for (let r = s; r < layout.start[p + 1]!; r++) {
      const isA = r < s + layout.countA[p]!;
      const sum = isA ? out.a : out.b;
      let sq = 0;
      for (let k = 0; k < D; k++) {
        const v = X[r * W + k]!;
        sum[p * D + k]! += v;
        sq += v * v;
      }
      if (isA) {
        out.nA[p]!++;
        out.sqA[p]! += sq;
      } else {
        out.nB[p]!++;
        out.sqB[p]! += sq;
      }
    }
  }
  return out;
}

/** Unbiased MMD^2 for a linear kernel: ||mA - mB||^2 - varA/nA - varB/nB, over the probes listed (with repeats). */
function unbiasedMmd(sums: ProbeSums, probes: ArrayLike<number>, scratchA: Float64Array, scratchB: Float64Array) {
  const D = NGRAM_DIM;
  scratchA.fill(0);
  scratchB.fill(0);
  let nA = 0;
  let nB = 0;
  let sqA = 0;
  let sqB = 0;
  for (let i = 0; i < probes.length; i++) {
    const p = probes[i]!;
    for (let k = 0; k < D; k++) {
      scratchA[k]! += sums.a[p * D + k]!;
      scratchB[k]! += sums.b[p * D + k]!;
    }
    nA += sums.nA[p]!;
    nB += sums.nB[p]!;
    sqA += sums.sqA[p]!;
    sqB += sums.sqB[p]!;
  }
  let gap = 0;
  let normA = 0;
  let normB = 0;
  for (let k = 0; k < D; k++) {
    const ma = scratchA[k]! / nA;
    const mb = scratchB[k]! / nB;
    gap += (ma - mb) ** 2;
    normA += ma * ma;
    normB += mb * mb;
  }
  const varA = nA > 1 ? (sqA - nA * normA) / (nA - 1) : 0;
  const varB = nB > 1 ? (sqB - nB * normB) / (nB - 1) : 0;
  return gap - varA / nA - varB / nB;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function bootstrapEffect(layout: Layout, replicates: number, rng: Rng): Effect {
  const P = layout.probes.length;
  const sums = probeSums(layout);
  const sa = new Float64Array(NGRAM_DIM);
  const sb = new Float64Array(NGRAM_DIM);
  const all = Int32Array.from({ length: P }, (_, i) => i);
  const estimate = unbiasedMmd(sums, all, sa, sb);
  const reps = new Float64Array(Math.max(0, replicates));
  const pick = new Int32Array(P);
  for (let r = 0; r < reps.length; r++) {
    for (let i = 0; i < P; i++) pick[i] = Math.floor(rng() * P);
    reps[r] = unbiasedMmd(sums, pick, sa, sb);
  }
  reps.sort();
  return { estimate, ci95: [quantile(reps, 0.025), quantile(reps, 0.975)], name: EFFECT_NAME };
}
