// Leading principal axes of a small symmetric positive semi-definite matrix by orthogonal (subspace) iteration
// (Golub & Van Loan 2013, sec. 8.2.4). Deterministic: it starts from a fixed seeded basis.
import { randomNormal, seededRng } from '../core/random.js';

/** An n x r row-major matrix whose orthonormal columns approximately span the r leading eigenvectors. */
export function leadingAxes(matrix: Float64Array, n: number, r: number, iterations = 12): Float64Array {
  const rng = seededRng(0x9e3779b9);
  let q = Float64Array.from({ length: n * r }, () => randomNormal(rng));
  orthonormalize(q, n, r);
  const next = new Float64Array(n * r);
  for (let it = 0; it < iterations; it++) {
    next.fill(0);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const m = matrix[i * n + k]!;
        if (m === 0) continue;
        for (let c = 0; c < r; c++) next[i * r + c]! += m * q[k * r + c]!;
      }
    q = Float64Array.from(next);
    orthonormalize(q, n, r);
  }
  return q;
}

/** Modified Gram-Schmidt on the columns; a column that vanishes (rank below r) is left at zero. */
function orthonormalize(q: Float64Array, n: number, r: number): void {
  for (let c = 0; c < r; c++) {
    for (let prev = 0; prev < c; prev++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i * r + c]! * q[i * r + prev]!;
      for (let i = 0; i < n; i++) q[i * r + c]! -= dot * q[i * r + prev]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * r + c]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * r + c] = norm > 1e-12 ? q[i * r + c]! / norm : 0;
  }
}
