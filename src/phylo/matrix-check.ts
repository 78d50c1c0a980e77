// Checks every tree method makes of its input matrix, so a bad matrix fails with one line naming the cell.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';

/** Throws InputError unless the matrix is square, finite and labelled with unique names. */
export function checkTreeInput(m: DistanceMatrix, method: string): number {
  const n = m.labels.length;
  if (n === 0)
    throw new InputError(`${method}: the distance matrix ${m.signal}/${m.metric} is empty; give at least one model`);
  if (m.values.length !== n * n)
    throw new InputError(`${method}: matrix ${m.signal}/${m.metric} has ${m.values.length} values for ${n} labels`);
  const seen = new Set<string>();
  for (const l of m.labels) {
    if (seen.has(l))
      throw new InputError(
        `${method}: label "${l}" appears twice in matrix ${m.signal}/${m.metric}; labels must be unique`,
      );
    seen.add(l);
  }
  for (let i = 0; i < n * n; i++) {
    if (!Number.isFinite(m.values[i]!)) {
      const r = Math.floor(i / n);
      throw new InputError(
        `${method}: distance ${m.labels[r]} x ${m.labels[i - r * n]} is ${m.values[i]}; every distance must be a finite number`,
      );
    }
  }
  return n;
}
