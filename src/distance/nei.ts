// Nei's standard genetic distance (Nei 1972) as PhyloLM uses it (Yax et al. 2024): with J_XY = mean over genes of
// sum_a x_a y_a, J_X = mean of sum_a x_a^2 (likewise J_Y), the normalized identity is I = J_XY / sqrt(J_X J_Y) and
// D = -ln I. The means over genes are taken before the ratio (Nei's form), over the genes both models have.
import { makeDistanceMatrix, type DistanceMatrix } from '../core/matrix.js';
import { forEachPresentPair, pairCount } from './probe-stack.js';
import type { AlleleFrequencies } from '../phenotype/alleles.js';

/** Identity below this counts as this: two models that share no allele anywhere are far, not infinitely far. */
export const MIN_IDENTITY = 1e-6;

/** Per-gene allele identities, kept so that a bootstrap over genes is a weighted sum. */
export interface GeneIdentities {
  readonly labels: readonly string[];
  readonly genes: readonly string[];
  readonly probeIndex: Int32Array;
  /** `jxy[g * pairs + k]`: sum_a x_a y_a of pair k on gene g (0 where not present). */
  readonly jxy: Float64Array;
  /** `jx[g * n + m]`: sum_a x_a^2 of model m on gene g (NaN where the model has no sample). */
  readonly jx: Float64Array;
}

/** sum_a x_a y_a over the alleles of one gene. */
function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let a = 0; a < x.length; a++) s += x[a]! * y[a]!;
  return s;
}

export function geneIdentities(af: AlleleFrequencies): GeneIdentities {
  const n = af.models.length;
  const pairs = pairCount(n);
  const G = af.genes.length;
  const jxy = new Float64Array(G * pairs);
  const jx = new Float64Array(G * n).fill(Number.NaN);
  for (let g = 0; g < G; g++) {
    const f = af.frequencies[g]!;
    for (let m = 0; m < n; m++) {
      const x = f[m];
      if (x) jx[g * n + m] = dot(x, x);
    }
    forEachPresentPair(n, f, g * pairs, (k, x, y) => {
      jxy[k] = dot(x, y);
    });
  }
  return { labels: af.models, genes: af.genes, probeIndex: af.probeIndex, jxy, jx };
}

/** Nei's D over genes, gene g weighted by `weights[g]` (bootstrap draw counts; all 1 by default). */
export function neiDistance(gi: GeneIdentities, weights?: ArrayLike<number>, signal = 'alleles'): DistanceMatrix {
  const n = gi.labels.length;
  const pairs = pairCount(n);
  const sxy = new Float64Array(pairs);
  const sx = new Float64Array(pairs);
  const sy = new Float64Array(pairs);
  for (let g = 0; g < gi.genes.length; g++) {
    const w = weights ? weights[g]! : 1;
    if (w === 0) continue;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const a = gi.jx[g * n + i]!;
      for (let j = i + 1; j < n; j++, k++) {
        const b = gi.jx[g * n + j]!;
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        sxy[k]! += w * gi.jxy[g * pairs + k]!;
        sx[k]! += w * a;
        sy[k]! += w * b;
      }
    }
  }
  const values = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      // Weights cancel in the ratio, so sums stand for means.
      const identity = sx[k]! > 0 && sy[k]! > 0 ? sxy[k]! / Math.sqrt(sx[k]! * sy[k]!) : 0;
      const d = -Math.log(Math.max(MIN_IDENTITY, Math.min(1, identity)));
      values[i * n + j] = d;
      values[j * n + i] = d;
    }
  }
  return makeDistanceMatrix(gi.labels, values, signal, 'nei');
}
