// The one validation of a distance matrix, used by every reader (TSV, PHYLIP, NEXUS) and every tree builder (NJ,
// BIONJ, UPGMA, BME), so a bad matrix fails the same way wherever it enters: one line naming the source and the cell.
// Pure: no I/O.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';

/** A distance matrix that is not one: wrong shape, repeated label, asymmetric, negative, non-finite, diagonal not 0. */
export class MatrixError extends InputError {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}

/**
 * Relative tolerance for symmetry, the zero diagonal and non-negativity: the rounding of the digits a file was written
 * with, or of the floating-point sums that made the matrix (a cosine distance of a vector with itself is ~1e-16).
 */
export const MATRIX_TOLERANCE = 1e-9;

const within = (x: number, scale: number, tolerance: number): boolean => Math.abs(x) <= tolerance * Math.max(1, scale);

/**
 * Throws MatrixError unless `m` is a distance matrix: at least one unique label, n*n values, every value finite and
 * non-negative, the diagonal zero and the matrix symmetric (each within `tolerance`, relative to the values' size).
 * `source` opens the message (a file name, or the method that was given the matrix). Returns n.
 */
export function checkDistanceMatrix(m: DistanceMatrix, source: string, tolerance = MATRIX_TOLERANCE): number {
  const fail = (problem: string): never => {
    throw new MatrixError(source, problem);
  };
  const n = m.labels.length;
  if (n === 0) fail('the distance matrix is empty; give at least one model');
  if (m.values.length !== n * n) fail(`${m.values.length} values for ${n} labels; a distance matrix is square`);
  const seen = new Set<string>();
  for (const l of m.labels) {
    if (seen.has(l)) fail(`label "${l}" appears twice; labels must be unique`);
    seen.add(l);
  }
  const v = m.values;
  const cell = (i: number, j: number) => `distance ${m.labels[i]} x ${m.labels[j]}`;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = v[i * n + j]!;
      if (!Number.isFinite(x)) fail(`${cell(i, j)} is ${x}; every distance must be a finite number`);
      if (x < 0 && !within(x, 0, tolerance)) fail(`${cell(i, j)} is ${x}; distances cannot be negative`);
    }
    const d = v[i * n + i]!;
    if (!within(d, 0, tolerance)) fail(`${cell(i, i)} is ${d}; the distance of a model to itself must be 0`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = v[i * n + j]!;
      const b = v[j * n + i]!;
      if (!within(a - b, Math.max(Math.abs(a), Math.abs(b)), tolerance))
        fail(
          `not symmetric: row "${m.labels[i]}" has ${a} for "${m.labels[j]}" but row "${m.labels[j]}" has ${b}; ` +
            'give a symmetric distance matrix',
        );
    }
  }
  return n;
}

/** The check a tree method makes of its input: the message names the method and the matrix. */
export function checkTreeInput(m: DistanceMatrix, method: string): number {
  return checkDistanceMatrix(m, `${method}: distance matrix ${m.signal}/${m.metric}`);
}
