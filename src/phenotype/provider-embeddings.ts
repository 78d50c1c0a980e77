// Provider embeddings as the embed signal's vectors, in place of TF-IDF: the pure part. The vectors themselves are
// requested and cached by collection (src/collect/embeddings.ts); this turns them into per-probe embeddings.
//
//   const { vectors } = await embedTexts(provider, 'text-embedding-3-small', distinctTexts(table), cache);
//   const emb = providerProbeEmbeddings(table, vectors, 'openai:text-embedding-3-small');   // then cosineStack(emb)
import { InputError } from '../core/errors.js';
import { cellOf, type ResponseTable } from './responses.js';
import type { ProbeEmbeddings, SparseVector } from './tfidf.js';

/** The vectors of a run's texts, named after what made them (e.g. `openai:text-embedding-3-small`). */
export interface TextEmbeddings {
  readonly name: string;
  /** By text; blank texts are never embedded and are absent. */
  readonly vectors: ReadonlyMap<string, Float64Array>;
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** The distinct non-blank texts of a table, in table order: what has to be embedded. */
export function distinctTexts(table: ResponseTable): string[] {
  const seen = new Set<string>();
  for (const cell of table.cells) for (const t of cell) if (!isBlank(t)) seen.add(t);
  return [...seen];
}

/**
 * The per-probe embeddings the embed signal compares, from provider vectors: a cell's samples are each scaled to
 * unit length and averaged (as TF-IDF pools a cell's samples into one document), then the mean is L2-normalised.
 * A blank answer is the zero vector (empty), at distance 1 from any other answer, as with TF-IDF. Dense vectors are
 * stored as sparse ones over every dimension, so cosineStack and everything after it are unchanged.
 */
export function providerProbeEmbeddings(
  table: ResponseTable,
  vectors: ReadonlyMap<string, Float64Array>,
  name: string,
): ProbeEmbeddings {
  const n = table.models.length;
  let dim: number | undefined;
  for (const v of vectors.values()) {
    dim ??= v.length;
    if (v.length !== dim)
      throw new InputError(
        `embeddings ${name}: cached vectors have ${dim} and ${v.length} dimensions ` +
          '(did the model change under the same name?); use another --results folder',
      );
  }
  const d = dim ?? 0;
  const all = Int32Array.from({ length: d }, (_, i) => i);
  const empty: SparseVector = { indices: new Int32Array(0), values: new Float64Array(0) };
  const out: (SparseVector | undefined)[] = new Array(table.probes.length * n);
  for (let p = 0; p < table.probes.length; p++) {
    for (let m = 0; m < n; m++) {
      const texts = cellOf(table, p, m);
      if (texts.length === 0) continue;
      const sum = new Float64Array(d);
      for (const t of texts) {
        if (isBlank(t)) continue;
        const v = vectors.get(t);
        if (!v)
          throw new Error(
            `providerProbeEmbeddings: no vector for a response of ${table.models[m]} to ${table.probes[p]!.id}`,
          );
        let norm = 0;
        for (let i = 0; i < d; i++) norm += v[i]! * v[i]!;
        norm = Math.sqrt(norm);
        if (norm > 0) for (let i = 0; i < d; i++) sum[i]! += v[i]! / norm;
      }
      let norm = 0;
      for (let i = 0; i < d; i++) norm += sum[i]! * sum[i]!;
      norm = Math.sqrt(norm);
      if (norm === 0) {
        out[p * n + m] = empty;
        continue;
      }
      for (let i = 0; i < d; i++) sum[i]! /= norm;
      out[p * n + m] = { indices: all, values: sum };
    }
  }
  return {
    models: table.models,
    probes: table.probes.map((q) => String(q.id)),
    vectors: out,
    dims: new Int32Array(table.probes.length).fill(d),
    name,
  };
}
