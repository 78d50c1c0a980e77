// Turning a response into countable features for a bag-of-features embedding. Features are hashed to 32-bit ints
// (the "hashing trick", Weinberger et al. 2009) so that no vocabulary of millions of strings is kept.
import { naturalStopWords, naturalTokenizers, type NaturalTokenizer } from './natural.js';

/**
 * - `words`: lower-cased word tokens (natural's WordTokenizer: letters, digits, underscore).
 * - `word-punct`: words plus every punctuation / markdown mark as its own token (natural's WordPunctTokenizer), so
 *   that "**", "#", "-" and ":" count: a model's formatting habits are part of its phenotype.
 * - `char`: character n-grams of the lower-cased text with whitespace runs folded to one space (Cavnar & Trenkle
 *   1994; robust to tokenisation and morphology, catches punctuation and markdown).
 */
export type FeatureKind = 'words' | 'word-punct' | 'char';

export interface FeatureOptions {
  readonly kind: FeatureKind;
  /** Smallest and largest n: word n-grams for `words`/`word-punct`, character n-grams for `char`. */
  readonly ngram: readonly [number, number];
  /** Drop English stop words (natural's list); words only. */
  readonly stopWords: boolean;
}

// Word unigrams with stop words kept: function words carry style (Mosteller & Wallace 1964; Burrows 2002). On the 38
// AlpacaEval models, unigrams did as well as bigrams, markdown-aware tokens or character 3-5-grams, at a fraction of
// the cost.
export const DEFAULT_WORD_FEATURES: FeatureOptions = { kind: 'words', ngram: [1, 1], stopWords: false };

// FNV-1a over UTF-16 code units: stable across runs, cheap, good enough spread for per-probe vocabularies.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h | 0;
}

let stopSet: Set<string> | undefined;
function stopWordSet(): Set<string> {
  stopSet ??= new Set(naturalStopWords());
  return stopSet;
}

const tokenizerCache = new Map<FeatureKind, NaturalTokenizer>();
function tokenizerFor(kind: 'words' | 'word-punct'): NaturalTokenizer {
  let t = tokenizerCache.get(kind);
  if (!t) {
    const mod = naturalTokenizers();
    t = kind === 'words' ? new mod.WordTokenizer() : new mod.WordPunctTokenizer();
    tokenizerCache.set(kind, t);
  }
  return t;
}

/** Word tokens as `features` sees them (lower-cased; whitespace tokens dropped). */
export function wordTokens(text: string, kind: 'words' | 'word-punct' = 'words'): string[] {
  const tokens = tokenizerFor(kind).tokenize(text.toLowerCase());
  return kind === 'words' ? tokens : tokens.filter((t) => t.trim().length > 0);
}

/** Call `emit` with the hash of every feature occurrence in `text`, in order. */
export function forEachFeature(text: string, options: FeatureOptions, emit: (feature: number) => void): void {
  const [lo, hi] = options.ngram;
  if (options.kind === 'char') {
    const s = text.toLowerCase().replace(/\s+/g, ' ');
    // Rolling over the string without building substrings: hash of s[i..i+n) for each n in [lo, hi].
    for (let i = 0; i < s.length; i++) {
      let h = FNV_OFFSET;
      for (let n = 1; n <= hi && i + n <= s.length; n++) {
        h = Math.imul(h ^ s.charCodeAt(i + n - 1), FNV_PRIME);
        if (n >= lo) emit(h ^ n);
      }
    }
    return;
  }
  let tokens = wordTokens(text, options.kind);
  if (options.stopWords) {
    const stop = stopWordSet();
    tokens = tokens.filter((t) => !stop.has(t));
  }
  const hashes = tokens.map((t) => hashString(t));
  for (let i = 0; i < hashes.length; i++) {
    let h = FNV_OFFSET;
    for (let n = 1; n <= hi && i + n <= hashes.length; n++) {
      h = Math.imul(h ^ hashes[i + n - 1]!, FNV_PRIME);
      if (n >= lo) emit(n === 1 ? hashes[i]! : h ^ (n << 24));
    }
  }
}
