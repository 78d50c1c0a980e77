// A response's wording as a sparse vector: word unigrams and bigrams hashed into 2^20 buckets, sublinear counts
// (1 + log tf, Salton & Buckley 1988), unit norm. Identification compares two models' answers to the same prompt in it.
import type { Sample } from '../core/types.js';

export interface SparseUnitVector {
  /** Sorted bucket ids. */
  readonly index: Int32Array;
  readonly value: Float64Array;
}

const BUCKETS = 1 << 20;
const MAX_CHARS = 8000;

function hashWord(word: string, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function lexicalVector(text: string): SparseUnitVector {
  const words =
    text
      .slice(0, MAX_CHARS)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  const counts = new Map<number, number>();
  let prev = 0;
  for (let i = 0; i < words.length; i++) {
    const h = hashWord(words[i]!, 0);
    counts.set(h % BUCKETS, (counts.get(h % BUCKETS) ?? 0) + 1);
    if (i > 0) {
      const b = (Math.imul(prev, 0x9e3779b1) ^ h) >>> 0;
      counts.set(b % BUCKETS, (counts.get(b % BUCKETS) ?? 0) + 1);
    }
    prev = h;
  }
  const index = Int32Array.from([...counts.keys()].sort((x, y) => x - y));
  const value = Float64Array.from(index, (k) => 1 + Math.log(counts.get(k)!));
  let norm = 0;
  for (const v of value) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < value.length; i++) value[i]! /= norm;
  return { index, value };
}

export function sparseCosine(a: SparseUnitVector, b: SparseUnitVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  const ai = a.index;
  const bi = b.index;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!;
    const y = bi[j]!;
    if (x === y) s += a.value[i++]! * b.value[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

const cache = new WeakMap<Sample, SparseUnitVector>();

export function sampleLexicalVector(sample: Sample): SparseUnitVector {
  let v = cache.get(sample);
  if (!v) {
    v = lexicalVector(sample.outcome.status === 'ok' ? sample.outcome.text : '');
    cache.set(sample, v);
  }
  return v;
}
