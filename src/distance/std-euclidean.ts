// Standardized Euclidean distance: each variable divided by its standard deviation across the models, so that a trait
// measured in thousands of characters and one measured as a fraction weigh alike (as scipy's `seuclidean`).
import { makeDistanceMatrix, type DistanceMatrix } from '../core/matrix.js';

/**
 * Rows are models, columns variables (`values[m * vars + v]`). d(i, j) = sqrt(mean over v of ((x_iv - x_jv) / s_v)^2)
 * over the variables both models have (not NaN) and that vary (s_v > 0); the mean, not the sum, keeps distances
 * comparable when some variables are missing for a pair. A pair with no shared variable gets the largest distance.
 */
export function standardizedEuclidean(
  labels: readonly string[],
  values: Float64Array,
  vars: number,
  signal = 'traits',
): DistanceMatrix {
  const n = labels.length;
  if (values.length !== n * vars) throw new Error(`standardizedEuclidean: ${values.length} values for ${n} x ${vars}`);
  const sd = new Float64Array(vars);
  for (let v = 0; v < vars; v++) {
    let s = 0;
    let s2 = 0;
    let c = 0;
    for (let m = 0; m < n; m++) {
      const x = values[m * vars + v]!;
      if (Number.isNaN(x)) continue;
      s += x;
      s2 += x * x;
      c++;
    }
    const mean = c > 0 ? s / c : 0;
    sd[v] = c > 1 ? Math.sqrt(Math.max(0, (s2 - c * mean * mean) / (c - 1))) : 0;
  }
  const out = new Float64Array(n * n);
  const unshared: number[] = [];
  let max = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      let c = 0;
      for (let v = 0; v < vars; v++) {
        if (!(sd[v]! > 0)) continue;
        const a = values[i * vars + v]!;
        const b = values[j * vars + v]!;
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        const z = (a - b) / sd[v]!;
        sum += z * z;
        c++;
      }
      if (c === 0) {
        unshared.push(i * n + j);
        continue;
      }
      const d = Math.sqrt(sum / c);
      out[i * n + j] = d;
      out[j * n + i] = d;
      max = Math.max(max, d);
    }
  }
  for (const k of unshared) {
    const i = Math.floor(k / n);
    const j = k % n;
    out[k] = max;
    out[j * n + i] = max;
  }
  return makeDistanceMatrix(labels, out, signal, 'std-euclidean');
}
