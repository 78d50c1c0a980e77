// Distances kept per probe, so that a bootstrap over probes (Felsenstein 1985, with probes as the characters) is a
// weighted average of stored numbers rather than a recomputation of the phenotype.
import { makeDistanceMatrix, type DistanceMatrix } from '../core/matrix.js';

/** Pairwise distances of n models on each probe, the upper triangle (i < j) stored row by row. */
export interface ProbeDistanceStack {
  readonly labels: readonly string[];
  readonly probes: readonly string[];
  /** `distances[p * pairs + k]`, k = pairIndex(n, i, j). Meaningless where `present` is 0. */
  readonly distances: Float64Array;
  /** 1 where both models answered probe p. */
  readonly present: Uint8Array;
  readonly signal: string;
  readonly metric: string;
}

export function pairCount(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Index of the pair (i, j), i != j, in the upper triangle stored row by row. */
export function pairIndex(n: number, i: number, j: number): number {
  if (i > j) [i, j] = [j, i];
  return i * n - (i * (i + 1)) / 2 + (j - i - 1);
}

/**
 * Model i's other models present on one probe, nearest first, ties by model index (so the order never depends on
 * input order): fills `into` and writes each one's distance from i into `d` (scratch of length n, read by the caller
 * for ties). Pair k = pairIndex(n, i, j) is read at `distances[offset + k]` where `present[offset + k]` is 1.
 */
export function neighboursByDistance(
  n: number,
  distances: Float64Array,
  present: Uint8Array,
  offset: number,
  i: number,
  d: Float64Array,
  into: number[],
): number[] {
  into.length = 0;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const k = offset + pairIndex(n, i, j);
    if (present[k] !== 1) continue;
    d[j] = distances[k]!;
    into.push(j);
  }
  return into.sort((a, b) => d[a]! - d[b]! || a - b);
}

/**
 * Calls `visit(k, x, y)` for every pair i < j < n of models whose rows are both present (not undefined), with k the
 * pair's index counted from `first` in upper-triangle order (pairs with an absent row are skipped, not renumbered).
 */
export function forEachPresentPair<T>(
  n: number,
  rows: readonly (T | undefined)[],
  first: number,
  visit: (k: number, x: T, y: T) => void,
): void {
  let k = first;
  for (let i = 0; i < n; i++) {
    const x = rows[i];
    for (let j = i + 1; j < n; j++, k++) {
      const y = rows[j];
      if (x !== undefined && y !== undefined) visit(k, x, y);
    }
  }
}

/** An empty stack to fill: every pair absent. */
export function emptyStack(
  labels: readonly string[],
  probes: readonly string[],
  signal: string,
  metric: string,
): ProbeDistanceStack {
  const pairs = pairCount(labels.length);
  return {
    labels,
    probes,
    distances: new Float64Array(probes.length * pairs),
    present: new Uint8Array(probes.length * pairs),
    signal,
    metric,
  };
}

/** How many probes each pair shares, upper triangle. */
export function sharedProbeCounts(stack: ProbeDistanceStack): Int32Array {
  const pairs = pairCount(stack.labels.length);
  const out = new Int32Array(pairs);
  for (let p = 0; p < stack.probes.length; p++) {
    const o = p * pairs;
    for (let k = 0; k < pairs; k++) out[k]! += stack.present[o + k]!;
  }
  return out;
}

/**
 * The mean over probes of each pair's distance, probe p weighted by `weights[p]` (all 1 by default; a bootstrap
 * replicate passes how often it drew each probe). A pair is averaged over the probes both models answered; a pair
 * with no shared probe in this draw takes `fallback` (the full-data mean) or, without one, the largest mean seen.
 */
export function averageOverProbes(
  stack: ProbeDistanceStack,
  weights?: ArrayLike<number>,
  fallback?: Float64Array,
): DistanceMatrix {
  const n = stack.labels.length;
  const pairs = pairCount(n);
  const sum = new Float64Array(pairs);
  const wsum = new Float64Array(pairs);
  for (let p = 0; p < stack.probes.length; p++) {
    const w = weights ? weights[p]! : 1;
    if (w === 0) continue;
    const o = p * pairs;
    for (let k = 0; k < pairs; k++) {
      if (stack.present[o + k]) {
        sum[k]! += w * stack.distances[o + k]!;
        wsum[k]! += w;
      }
    }
  }
  let max = 0;
  for (let k = 0; k < pairs; k++) if (wsum[k]! > 0) max = Math.max(max, sum[k]! / wsum[k]!);
  const values = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      const d = wsum[k]! > 0 ? sum[k]! / wsum[k]! : fallback ? fallback[k]! : max;
      values[i * n + j] = d;
      values[j * n + i] = d;
    }
  }
  return makeDistanceMatrix(stack.labels, values, stack.signal, stack.metric);
}

/** The upper triangle of a matrix, in pair order (the `fallback` of averageOverProbes). */
export function upperTriangle(m: DistanceMatrix): Float64Array {
  const n = m.labels.length;
  const out = new Float64Array(pairCount(n));
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[k++] = m.values[i * n + j]!;
  return out;
}
