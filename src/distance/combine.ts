// Combining signals: each matrix's off-diagonal distances are standardized (mean 0, standard deviation 1), so that no
// signal wins by its units or by its spread; the standardized matrices are averaged with the user's weights; the
// result is shifted by a constant so its smallest off-diagonal distance is SHIFT_FLOOR. Adding a constant to every
// pair leaves NJ, UPGMA and BME topologies unchanged (their criteria shift uniformly), so the shift only makes the
// numbers valid distances. (Rescaling to a unit mean instead lets a wide-spread signal such as the traits drown a
// narrow one such as nearest-neighbour votes: 6 of 14 AlpacaEval families against 12 when standardized.)
import { makeDistanceMatrix, type DistanceMatrix } from '../core/matrix.js';

/** The smallest off-diagonal distance of a combined matrix. */
export const SHIFT_FLOOR = 0.01;

/** Mean of the off-diagonal entries. */
export function meanOffDiagonal(m: DistanceMatrix): number {
  const n = m.labels.length;
  if (n < 2) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += m.values[i * n + j]!;
  return s / (n * (n - 1));
}

/** Off-diagonal entries as z-scores (diagonal 0); all zeros when every pair is at the same distance. */
export function standardizeOffDiagonal(m: DistanceMatrix): Float64Array {
  const n = m.labels.length;
  const mean = meanOffDiagonal(m);
  let ss = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) ss += (m.values[i * n + j]! - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n * (n - 1))) : 0;
  const out = new Float64Array(n * n);
  if (!(sd > 0)) return out;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) out[i * n + j] = (m.values[i * n + j]! - mean) / sd;
  return out;
}

/** Weighted average of standardized matrices over the same labels (in any order: aligned to the first), shifted. */
export function combineMatrices(
  parts: readonly { readonly matrix: DistanceMatrix; readonly weight: number }[],
  signal = 'combined',
): DistanceMatrix {
  const used = parts.filter((p) => p.weight > 0);
  if (used.length === 0) throw new Error('combineMatrices: no matrix with a positive weight');
  const labels = used[0]!.matrix.labels;
  const n = labels.length;
  const out = new Float64Array(n * n);
  let total = 0;
  for (const { matrix, weight } of used) {
    const index = new Map(matrix.labels.map((l, i) => [l, i]));
    if (matrix.labels.length !== n || labels.some((l) => !index.has(l)))
      throw new Error(`combineMatrices: ${matrix.signal} has other labels than ${used[0]!.matrix.signal}`);
    const z = standardizeOffDiagonal(matrix);
    for (let i = 0; i < n; i++) {
      const a = index.get(labels[i]!)!;
      for (let j = 0; j < n; j++) if (i !== j) out[i * n + j]! += weight * z[a * n + index.get(labels[j]!)!]!;
    }
    total += weight;
  }
  let min = Infinity;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) min = Math.min(min, out[i * n + j]! / total);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) out[i * n + j] = out[i * n + j]! / total - min + SHIFT_FLOOR;
  const metric = used.map((p) => `${p.weight}*${p.matrix.signal}`).join('+');
  return makeDistanceMatrix(labels, out, signal, `standardized(${metric})`);
}
