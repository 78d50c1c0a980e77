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
  let k = offset;
  for (let i = 0; i < n; i++) {
    const a = vectors[i];
    if (!a) {
      k += n - i - 1;
      continue;
    }
    // Scatter a into the dense scratch vector once, then each dot product walks only b's non-zeros.
    for (let t = 0; t < a.indices.length; t++) scratch[a.indices[t]!] = a.values[t]!;
    for (let j = i + 1; j < n; j++, k++) {
      const b = vectors[j];
      if (!b) continue;
      let d: number;
      if (a.indices.length === 0 || b.indices.length === 0) d = a.indices.length === b.indices.length ? 0 : 1;
      else {
        let dot = 0;
        for (let t = 0; t < b.indices.length; t++) dot += scratch[b.indices[t]!]! * b.values[t]!;
        d = Math.max(0, 1 - dot);
      }
      out[k] = d;
      present[k] = 1;
    }
    for (let t = 0; t < a.indices.length; t++) scratch[a.indices[t]!] = 0;
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
