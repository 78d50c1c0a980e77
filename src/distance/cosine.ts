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

/** Per-probe cosine distances of per-probe embeddings: the stack the embed signal averages and bootstraps. */
export function cosineStack(emb: ProbeEmbeddings, signal = 'embed'): ProbeDistanceStack {
  const n = emb.models.length;
  const stack = emptyStack(emb.models, emb.probes, signal, `cosine(${emb.name})`);
  const pairs = pairCount(n);
  let dense = new Float64Array(1024);
  for (let p = 0; p < emb.probes.length; p++) {
    if (dense.length < emb.dims[p]!) dense = new Float64Array(emb.dims[p]! * 2);
    let k = p * pairs;
    for (let i = 0; i < n; i++) {
      const a = emb.vectors[p * n + i];
      if (!a) {
        k += n - i - 1;
        continue;
      }
      // Scatter a into a dense scratch vector once, then each dot product walks only b's non-zeros.
      for (let t = 0; t < a.indices.length; t++) dense[a.indices[t]!] = a.values[t]!;
      for (let j = i + 1; j < n; j++, k++) {
        const b = emb.vectors[p * n + j];
        if (!b) continue;
        let d: number;
        if (a.indices.length === 0 || b.indices.length === 0) d = a.indices.length === b.indices.length ? 0 : 1;
        else {
          let dot = 0;
          for (let t = 0; t < b.indices.length; t++) dot += dense[b.indices[t]!]! * b.values[t]!;
          d = Math.max(0, 1 - dot);
        }
        stack.distances[k] = d;
        stack.present[k] = 1;
      }
      for (let t = 0; t < a.indices.length; t++) dense[a.indices[t]!] = 0;
    }
  }
  return stack;
}
