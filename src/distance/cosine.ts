// Cosine distance 1 - cos(u, v) between embeddings of the same probe (Salton 1975, vector space model).
import { emptyStack, pairCount, type ProbeDistanceStack } from './probe-stack.js';
import type { ProbeEmbeddings, SparseVector } from '../phenotype/tfidf.js';

/** Cosine distance of two L2-normalised sparse vectors; an empty response is at distance 1 from any non-empty one. */
export function cosineDistanceSparse(a: SparseVector, b: SparseVector): number {
  if (a.indices.length === 0 || b.indices.length === 0) return a.indices.length === b.indices.length ? 0 : 1;
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i]!;
    const y = b.indices[j]!;
    if (x === y) dot += a.values[i++]! * b.values[j++]!;
    else if (x < y) i++;
    else j++;
  }
  // Rounding can push a self-similarity a hair above 1.
  return Math.max(0, 1 - dot);
}

/** Cosine distance of two dense vectors (any norm); zero vectors as in cosineDistanceSparse. */
export function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return na === nb ? 0 : 1;
  return Math.max(0, 1 - dot / Math.sqrt(na * nb));
}

/**
 * Cosine distances among one probe's vectors (undefined: the model did not answer) into `out[offset + k]`, k the pair's
 * upper-triangle index; `present[offset + k]` is set to 1 where both vectors exist and left alone elsewhere.
 * `scratch` must be zeros at least as long as the probe's dimension; it is left zeros.
 */
export function probeCosineDistances(
  vectors: readonly (SparseVector | undefined)[],
  scratch: Float64Array,
  out: Float64Array,
  present: Uint8Array,
  offset: number,
): void {
  const n = vectors.length;
  // The probe's vectors in one compressed-row block: the pair loop then reads two flat arrays instead of two typed
  // arrays per vector (the sums are the same, in the same order).
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + (vectors[i]?.indices.length ?? 0);
  const indices = new Int32Array(start[n]!);
  const values = new Float64Array(start[n]!);
  for (let i = 0; i < n; i++) {
    const v = vectors[i];
    if (!v) continue;
    indices.set(v.indices, start[i]!);
    values.set(v.values, start[i]!);
  }
  let k = offset;
  for (let i = 0; i < n; i++) {
    const a = vectors[i];
    if (!a) {
      k += n - i - 1;
      continue;
    }
    const aFrom = start[i]!;
    const aTo = start[i + 1]!;
    // Scatter a into the dense scratch vector once, then each dot product walks only b's non-zeros.
    for (let t = aFrom; t < aTo; t++) scratch[indices[t]!] = values[t]!;
    for (let j = i + 1; j < n; j++, k++) {
      if (!vectors[j]) continue;
      const bFrom = start[j]!;
      const bTo = start[j + 1]!;
      let d: number;
      if (aFrom === aTo || bFrom === bTo) d = aTo - aFrom === bTo - bFrom ? 0 : 1;
      else {
        let dot = 0;
        for (let t = bFrom; t < bTo; t++) dot += scratch[indices[t]!]! * values[t]!;
        d = Math.max(0, 1 - dot);
      }
      out[k] = d;
      present[k] = 1;
    }
    for (let t = aFrom; t < aTo; t++) scratch[indices[t]!] = 0;
  }
}

/** Per-probe cosine distances of per-probe embeddings: the stack the embed signal averages and bootstraps. */
export function cosineStack(emb: ProbeEmbeddings, signal = 'embed'): ProbeDistanceStack {
  const n = emb.models.length;
  const stack = emptyStack(emb.models, emb.probes, signal, `cosine(${emb.name})`);
  const pairs = pairCount(n);
  let scratch = new Float64Array(1024);
  for (let p = 0; p < emb.probes.length; p++) {
    if (scratch.length < emb.dims[p]!) scratch = new Float64Array(emb.dims[p]! * 2);
    probeCosineDistances(emb.vectors.slice(p * n, (p + 1) * n), scratch, stack.distances, stack.present, p * pairs);
  }
  return stack;
}
