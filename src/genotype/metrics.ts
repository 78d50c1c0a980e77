// Weight-difference metrics as sufficient statistics: a pair of tensors is summarised by a few Float64 sums, which add
// up across windows, tensors and layers, so every metric of every grouping comes from one streaming pass.

export interface PairStats {
  /** Values compared. */
  n: number;
  /** sum |a - b| (L1 distance). */
  sumAbs: number;
  /** sum (a - b)^2 (squared L2 distance). */
  sumSq: number;
  /** sum a * b (for the cosine). */
  dot: number;
  /** sum a^2 and sum b^2. */
  normA2: number;
  normB2: number;
  /** Count of |a - b| > tolerance. */
  changed: number;
}

export type GenotypeMetric = 'l2' | 'l1' | 'cosine' | 'changed';
export const GENOTYPE_METRICS: readonly GenotypeMetric[] = ['l2', 'l1', 'cosine', 'changed'];

export function emptyStats(): PairStats {
  return { n: 0, sumAbs: 0, sumSq: 0, dot: 0, normA2: 0, normB2: 0, changed: 0 };
}

/** into += weight * s (weight 1: plain sum; k: as if s were seen k times). */
export function addInto(into: PairStats, s: PairStats, weight = 1): PairStats {
  into.n += weight * s.n;
  into.sumAbs += weight * s.sumAbs;
  into.sumSq += weight * s.sumSq;
  into.dot += weight * s.dot;
  into.normA2 += weight * s.normA2;
  into.normB2 += weight * s.normB2;
  into.changed += weight * s.changed;
  return into;
}

/**
 * Accumulate the first `count` values of a pair of tensor windows into `into`: one fused pass (each value is loaded
 * once; the norms come along at the cost of two multiply-adds).
 */
export function accumulatePair(
  a: Float32Array,
  b: Float32Array,
  count: number,
  tolerance: number,
  into: PairStats,
): void {
  let sumAbs = 0,
    sumSq = 0,
    dot = 0,
    normA2 = 0,
    normB2 = 0,
    changed = 0;
  for (let i = 0; i < count; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const d = x - y;
    const ad = Math.abs(d);
    sumAbs += ad;
    sumSq += d * d;
    dot += x * y;
    normA2 += x * x;
    normB2 += y * y;
    if (ad > tolerance) changed++;
  }
  into.n += count;
  into.sumAbs += sumAbs;
  into.sumSq += sumSq;
  into.dot += dot;
  into.normA2 += normA2;
  into.normB2 += normB2;
  into.changed += changed;
}

/**
 * One metric from the sums. `l2` is relative to the parent's norm when `parentNorm2` (sum of the parent's squared
 * weights over the same tensors) is given; `cosine` is 1 - cos(a, b); `changed` is the fraction beyond tolerance.
 */
export function metricValue(s: PairStats, metric: GenotypeMetric, parentNorm2?: number): number {
  switch (metric) {
    case 'l1':
      return s.sumAbs;
    case 'l2': {
      const l2 = Math.sqrt(s.sumSq);
      if (parentNorm2 === undefined) return l2;
      return parentNorm2 > 0 ? l2 / Math.sqrt(parentNorm2) : l2 === 0 ? 0 : Infinity;
    }
    case 'cosine': {
      if (s.sumSq === 0) return 0;
      const denom = Math.sqrt(s.normA2 * s.normB2);
      if (denom === 0) return 1;
      return Math.min(2, Math.max(0, 1 - s.dot / denom));
    }
    case 'changed':
      return s.n === 0 ? 0 : s.changed / s.n;
  }
}
