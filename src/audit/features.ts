// What the equality test sees of one response: fixed-length feature vectors, computed once per sample and cached.
// Every map here is a function of the sample alone (never of its label), so a permutation test over them stays exact.
import type { Sample } from '../core/types.js';
import { alleleOf } from '../phenotype/alleles.js';
import { firstTokenDistribution } from '../phenotype/logprob-profile.js';

/** Hashed character 3-gram buckets (signed feature hashing, Weinberger et al. 2009: an unbiased sparse sketch). */
export const NGRAM_DIM = 64;
/** Hashed first-token buckets for the top-logprob distribution. */
export const LOGPROB_DIM = 32;
/** Hashed allele buckets (first characters, PhyloLM). */
export const ALLELE_DIM = 32;
/** Longer responses are read up to here: the head of a response carries its style, the rest adds only time. */
const MAX_CHARS = 6000;

/** Style features, one line each; standardised over the pooled responses of a test before use. */
export const STYLE_FEATURES = [
  'log characters',
  'log lines',
  'bullet lines share',
  'numbered lines share',
  'markdown headings',
  'bold spans',
  'code fences',
  'upper-case share',
  'digit share',
  'non-ASCII share',
  'mean word length',
  'refusal',
] as const;
export const STYLE_DIM = STYLE_FEATURES.length;

export interface SampleFeatures {
  /** Unit-norm hashed character 3-gram counts (zero for an empty response). */
  readonly ngram: Float64Array;
  readonly style: Float64Array;
  /** Hashed first-token probabilities, when the sample has top logprobs. */
  readonly logprob: Float64Array | undefined;
  /** One-hot hashed allele. */
  readonly allele: Float64Array;
}

const REFUSAL = new RegExp(
  "\\b(?:i can(?:no|')t|i cannot|i am (?:not able|unable)|i'm (?:not able|unable)|" +
    "i (?:won't|will not) (?:help|assist)|i'm sorry, but)\\b",
  'i',
);

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}

function addHashed(v: Float64Array, h: number, weight: number): void {
  const bucket = h % v.length;
  v[bucket]! += (h & 0x80000000) !== 0 ? -weight : weight;
}

function normalize(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < v.length; i++) v[i]! *= inv;
  }
  return v;
}

/** Character 3-grams of the text with runs of whitespace folded to one space (folded as it is read). */
export function ngramVector(text: string): Float64Array {
  const v = new Float64Array(NGRAM_DIM);
  const end = Math.min(text.length, MAX_CHARS);
  let c1 = -1;
  let c2 = -1;
  for (let i = 0; i < end; i++) {
    let c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 160;
    if (space) {
      if (c2 === 32) continue;
      c = 32;
    }
    if (c1 >= 0) addHashed(v, mix(((c1 * 65599 + c2) * 65599 + c) | 0), 1);
    c1 = c2;
    c2 = c;
  }
  return normalize(v);
}

export function styleVector(text: string): Float64Array {
  const t = text.slice(0, MAX_CHARS);
  const lines = t.split('\n').filter((l) => l.trim() !== '');
  const nLines = Math.max(1, lines.length);
  let upper = 0;
  let letters = 0;
  let digits = 0;
  let nonAscii = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      upper++;
      letters++;
    } else if (c >= 97 && c <= 122) letters++;
    else if (c >= 48 && c <= 57) digits++;
    else if (c > 127) nonAscii++;
  }
  const words = t.match(/\S+/g) ?? [];
  const wordChars = words.reduce((s, w) => s + w.length, 0);
  const len = Math.max(1, t.length);
  return Float64Array.from([
    Math.log1p(text.length),
    Math.log1p(lines.length),
    lines.filter((l) => /^\s*[-*•+]\s/.test(l)).length / nLines,
    lines.filter((l) => /^\s*\d+[.)]\s/.test(l)).length / nLines,
    (t.match(/^#{1,6}\s/gm) ?? []).length,
    Math.log1p((t.match(/\*\*[^*\n]+\*\*/g) ?? []).length),
    (t.match(/^```/gm) ?? []).length,
    letters === 0 ? 0 : upper / letters,
    digits / len,
    nonAscii / len,
    words.length === 0 ? 0 : wordChars / words.length,
    REFUSAL.test(t) ? 1 : 0,
  ]);
}

function logprobVector(sample: Sample): Float64Array | undefined {
  if (sample.outcome.status !== 'ok') return undefined;
  const dist = firstTokenDistribution(sample.outcome.logprobs?.[0]);
  if (!dist) return undefined;
  const v = new Float64Array(LOGPROB_DIM);
  for (const [token, p] of dist) addHashed(v, hashString(token), p);
  return v;
}

function alleleVector(text: string): Float64Array {
  const v = new Float64Array(ALLELE_DIM);
  addHashed(v, hashString(alleleOf(text.slice(0, 256))), 1);
  return v;
}

const cache = new WeakMap<Sample, SampleFeatures>();

/** The features of an answered sample (cached per sample object: a benchmark over many pairs computes them once). */
export function sampleFeatures(sample: Sample): SampleFeatures {
  const hit = cache.get(sample);
  if (hit) return hit;
  const text = sample.outcome.status === 'ok' ? sample.outcome.text : '';
  const f: SampleFeatures = {
    ngram: ngramVector(text),
    style: styleVector(text),
    logprob: logprobVector(sample),
    allele: alleleVector(text),
  };
  cache.set(sample, f);
  return f;
}
