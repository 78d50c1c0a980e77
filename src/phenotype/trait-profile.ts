// Traits aggregated per model: the mean and spread over a model's samples of each probe, and over probes overall.
import { cellOf, type ResponseTable } from './responses.js';
import { computeTraits, TRAITS } from './traits.js';

export interface TraitProfile {
  readonly models: readonly string[];
  readonly probes: readonly string[];
  readonly traits: readonly string[];
  /** `probeMean[(p * models + m) * traits + t]`: mean over model m's samples of probe p; NaN where missing or n/a. */
  readonly probeMean: Float64Array;
  /** Same layout: standard deviation over samples (0 for one sample, NaN where missing). */
  readonly probeSpread: Float64Array;
  /** `mean[m * traits + t]`: mean over the probes model m answered (NaN when the trait never applied). */
  readonly mean: Float64Array;
  /** Standard deviation of the per-probe means over probes. */
  readonly spread: Float64Array;
}

function meanAndSd(values: readonly number[]): [number, number] {
  const v = values.filter((x) => !Number.isNaN(x));
  if (v.length === 0) return [Number.NaN, Number.NaN];
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1);
  return [mean, v.length > 1 ? Math.sqrt(variance) : 0];
}

/** Compute every trait of every response and aggregate. */
export function traitProfile(table: ResponseTable): TraitProfile {
  const n = table.models.length;
  const T = TRAITS.length;
  const P = table.probes.length;
  const probeMean = new Float64Array(P * n * T).fill(Number.NaN);
  const probeSpread = new Float64Array(P * n * T).fill(Number.NaN);
  for (let p = 0; p < P; p++) {
    const answer = table.probes[p]!.answer;
    for (let m = 0; m < n; m++) {
      const texts = cellOf(table, p, m);
      if (texts.length === 0) continue;
      const vectors = texts.map((t) => computeTraits(t, answer));
      const o = (p * n + m) * T;
      for (let t = 0; t < T; t++) {
        const [mean, sd] = meanAndSd(vectors.map((v) => v[t]!));
        probeMean[o + t] = mean;
        probeSpread[o + t] = sd;
      }
    }
  }
  const mean = new Float64Array(n * T);
  const spread = new Float64Array(n * T);
  for (let m = 0; m < n; m++) {
    for (let t = 0; t < T; t++) {
      const values: number[] = [];
      for (let p = 0; p < P; p++) values.push(probeMean[(p * n + m) * T + t]!);
      const [mu, sd] = meanAndSd(values);
      mean[m * T + t] = mu;
      spread[m * T + t] = sd;
    }
  }
  return {
    models: table.models,
    probes: table.probes.map((q) => String(q.id)),
    traits: TRAITS.map((t) => t.name),
    probeMean,
    probeSpread,
    mean,
    spread,
  };
}

/**
 * Per-model trait means with probe p weighted by `weights[p]` (a bootstrap replicate's draw counts), over the probes
 * where the trait applies. `traits` selects columns; the result is models x selected traits, NaN where nothing applied.
 */
export function weightedTraitMeans(
  profile: TraitProfile,
  traits: readonly number[],
  weights?: ArrayLike<number>,
): Float64Array {
  const n = profile.models.length;
  const T = profile.traits.length;
  const S = traits.length;
  const sum = new Float64Array(n * S);
  const wsum = new Float64Array(n * S);
  for (let p = 0; p < profile.probes.length; p++) {
    const w = weights ? weights[p]! : 1;
    if (w === 0) continue;
    for (let m = 0; m < n; m++) {
      const o = (p * n + m) * T;
      for (let s = 0; s < S; s++) {
        const v = profile.probeMean[o + traits[s]!]!;
        if (Number.isNaN(v)) continue;
        sum[m * S + s]! += w * v;
        wsum[m * S + s]! += w;
      }
    }
  }
  for (let k = 0; k < sum.length; k++) sum[k] = wsum[k]! > 0 ? sum[k]! / wsum[k]! : Number.NaN;
  return sum;
}
