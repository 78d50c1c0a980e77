// Interpretable traits of one response. The table below is the single place a trait is defined: name, unit, kind and
// how it is computed in one line each, so the README and the TUI list them from here.
import type { Answer } from '../core/types.js';
import { checkAnswer } from '../probes/answer.js';
import { naturalSentimentAnalyzer, naturalTokenizers, type NaturalTokenizer } from './natural.js';
import { fleschReadingEase } from './readability.js';
import { selfIdentification } from './vendor-lexicon.js';

/** What a trait is computed from: the response, its words and sentences, split once. */
export interface TraitInput {
  readonly text: string;
  /** Word tokens (natural's WordTokenizer), case kept. */
  readonly words: readonly string[];
  readonly sentences: number;
  readonly lines: readonly string[];
  readonly answer?: Answer;
}

/**
 * - `continuous`: a number; models are compared on its mean (standardized Euclidean).
 * - `binary`: 0 or 1; compared on its mean (a rate) and a character of the character matrix.
 * - `categorical`: a code (0 = none); a character of the character matrix only.
 */
export type TraitKind = 'continuous' | 'binary' | 'categorical';

export interface TraitDefinition {
  readonly name: string;
  readonly unit: string;
  readonly kind: TraitKind;
  readonly description: string;
  /** NaN when the trait does not apply (no answer to check, no words to read). */
  readonly compute: (input: TraitInput) => number;
}

const per100Words = (count: number, words: number) => (words === 0 ? 0 : (100 * count) / words);
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
const share = (text: string, re: RegExp) => (text.length === 0 ? 0 : count(text, re) / text.length);

/** Any of the phrases (regular-expression fragments) as whole words: `\b(?:a|b|...)\b`. */
const anyPhrase = (phrases: readonly string[], flags: string) =>
  new RegExp(String.raw`\b(?:${phrases.join('|')})\b`, flags);

// Refusal: the response declines the task (the first-person forms models use to refuse).
const REFUSAL = anyPhrase(
  [
    "i can(?:no|')t",
    'i cannot',
    'i am (?:not able|unable)',
    "i'm (?:not able|unable)",
    "i (?:won't|will not) (?:be able to )?(?:help|assist|provide)",
    'i must (?:decline|refuse)',
    "i'm sorry, but i",
    "as an ai(?: language model)?, i (?:can(?:no|')t|don't|do not)",
  ],
  'i',
);
const APOLOGY = /\b(?:sorry|apologi[sz]e|apologies|my apologies)\b/gi;
// Hedges (Hyland 1998's epistemic devices, a short list).
const HEDGES = anyPhrase(
  [
    'might|may|maybe|perhaps|possibly|probably|likely|unlikely|could|generally|typically|usually|often',
    'somewhat|arguably|it depends|i think|i believe|it seems|appears to',
  ],
  'gi',
);
const AI_CLAIM = anyPhrase(
  [
    'as an ai',
    'i am an ai',
    "i'm an ai",
    'as a language model',
    'i am a (?:large )?language model',
    "i'm a (?:large )?language model",
    'ai assistant',
    'ai language model',
  ],
  'i',
);
const EMOJI = /\p{Extended_Pictographic}/gu;

/** Upper-case letters / letters, by character code for ASCII (nearly all of it) and Unicode classes otherwise. */
function uppercaseShare(text: string): number {
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      letters++;
      upper++;
    } else if (c >= 97 && c <= 122) letters++;
    else if (c > 127) {
      const ch = text[i]!;
      if (/\p{L}/u.test(ch)) {
        letters++;
        if (/\p{Lu}/u.test(ch)) upper++;
      }
    }
  }
  return letters === 0 ? 0 : upper / letters;
}

let sentiment: { getSentiment(words: string[]): number } | undefined;
function afinnSentiment(words: readonly string[]): number {
  if (words.length === 0) return 0;
  const Analyzer = naturalSentimentAnalyzer();
  sentiment ??= new Analyzer('English', undefined, 'afinn');
  return sentiment.getSentiment([...words]);
}

export const TRAITS: readonly TraitDefinition[] = [
  {
    name: 'chars',
    unit: 'characters',
    kind: 'continuous',
    description: 'length of the response in characters',
    compute: (x) => x.text.length,
  },
  {
    name: 'words',
    unit: 'words',
    kind: 'continuous',
    description: "word tokens (natural's WordTokenizer)",
    compute: (x) => x.words.length,
  },
  {
    name: 'sentences',
    unit: 'sentences',
    kind: 'continuous',
    description: 'sentences: runs of . ! ? before a space, or a line with text and no such mark',
    compute: (x) => x.sentences,
  },
  {
    name: 'meanSentenceLength',
    unit: 'words/sentence',
    kind: 'continuous',
    description: 'words divided by sentences',
    compute: (x) => (x.sentences === 0 ? 0 : x.words.length / x.sentences),
  },
  {
    name: 'meanWordLength',
    unit: 'characters/word',
    kind: 'continuous',
    description: 'mean characters per word token',
    compute: (x) => (x.words.length === 0 ? 0 : x.words.reduce((a, w) => a + w.length, 0) / x.words.length),
  },
  {
    name: 'typeTokenRatio',
    unit: 'ratio',
    kind: 'continuous',
    description: 'distinct / total lower-cased words over the first 100 words (fixed window: TTR falls with length)',
    compute: (x) => {
      const w = x.words.slice(0, 100).map((t) => t.toLowerCase());
      return w.length === 0 ? 0 : new Set(w).size / w.length;
    },
  },
  {
    name: 'lines',
    unit: 'lines',
    kind: 'continuous',
    description: 'non-empty lines',
    compute: (x) => x.lines.filter((l) => l.trim()).length,
  },
  {
    name: 'paragraphs',
    unit: 'paragraphs',
    kind: 'continuous',
    description: 'blocks separated by a blank line',
    compute: (x) => x.text.split(/\n\s*\n/).filter((b) => b.trim()).length,
  },
  {
    name: 'headers',
    unit: 'count',
    kind: 'continuous',
    description: 'markdown header lines (# to ######)',
    compute: (x) => x.lines.filter((l) => /^\s{0,3}#{1,6}\s/.test(l)).length,
  },
  {
    name: 'bullets',
    unit: 'count',
    kind: 'continuous',
    description: 'list items: lines starting with -, *, + or "1." / "1)"',
    compute: (x) => x.lines.filter((l) => /^\s*(?:[-*+•]|\d{1,3}[.)])\s+\S/.test(l)).length,
  },
  {
    name: 'codeBlocks',
    unit: 'count',
    kind: 'continuous',
    description: 'fenced code blocks (pairs of ``` lines)',
    compute: (x) => Math.floor(x.lines.filter((l) => /^\s*```/.test(l)).length / 2),
  },
  {
    name: 'bold',
    unit: 'count',
    kind: 'continuous',
    description: 'markdown bold spans **...** or __...__',
    compute: (x) => count(x.text, /(\*\*|__)(?=\S)[^\n]*?\S\1/g),
  },
  {
    name: 'refusal',
    unit: '0/1',
    kind: 'binary',
    description: 'a first-person refusal marker ("I can\'t", "I am unable to", "I must decline")',
    compute: (x) => (REFUSAL.test(x.text) ? 1 : 0),
  },
  {
    name: 'apology',
    unit: '0/1',
    kind: 'binary',
    description: 'an apology marker ("sorry", "apologize")',
    compute: (x) => (count(x.text, APOLOGY) > 0 ? 1 : 0),
  },
  {
    name: 'hedging',
    unit: 'per 100 words',
    kind: 'continuous',
    description: 'hedge words (might, maybe, perhaps, typically, I think, ...) per 100 words',
    compute: (x) => per100Words(count(x.text, HEDGES), x.words.length),
  },
  {
    name: 'aiDisclosure',
    unit: '0/1',
    kind: 'binary',
    description: 'says it is an AI or a language model ("as an AI", "I am a language model")',
    compute: (x) => (AI_CLAIM.test(x.text) ? 1 : 0),
  },
  {
    name: 'selfIdentification',
    unit: 'vendor code',
    kind: 'categorical',
    description: 'vendor named in a first-person claim ("I am Claude", "trained by Google"); 0 = none, see VENDORS',
    compute: (x) => selfIdentification(x.text),
  },
  {
    name: 'firstPerson',
    unit: 'per 100 words',
    kind: 'continuous',
    description: 'I, me, my, mine per 100 words',
    compute: (x) => per100Words(x.words.filter((w) => /^(?:i|me|my|mine)$/i.test(w)).length, x.words.length),
  },
  {
    name: 'sentiment',
    unit: 'AFINN/word',
    kind: 'continuous',
    description: "natural's SentimentAnalyzer (AFINN-165, negation-aware) score per word",
    compute: (x) => afinnSentiment(x.words),
  },
  {
    name: 'readability',
    unit: 'Flesch',
    kind: 'continuous',
    description: 'Flesch reading ease (syllables by the vowel-group heuristic of readability.ts)',
    compute: (x) => fleschReadingEase(x.words, Math.max(1, x.sentences)),
  },
  {
    name: 'questionMarks',
    unit: 'count',
    kind: 'continuous',
    description: 'question marks',
    compute: (x) => count(x.text, /[?？]/g),
  },
  {
    name: 'exclamations',
    unit: 'count',
    kind: 'continuous',
    description: 'exclamation marks',
    compute: (x) => count(x.text, /[!！]/g),
  },
  {
    name: 'nonAsciiShare',
    unit: 'fraction',
    kind: 'continuous',
    description: 'share of characters outside ASCII',
    compute: (x) => share(x.text, /[^\x00-\x7f]/g),
  },
  {
    name: 'digitShare',
    unit: 'fraction',
    kind: 'continuous',
    description: 'share of characters that are digits 0-9',
    compute: (x) => share(x.text, /[0-9]/g),
  },
  {
    name: 'uppercaseShare',
    unit: 'fraction',
    kind: 'continuous',
    description: 'share of letters that are upper case',
    compute: (x) => uppercaseShare(x.text),
  },
  {
    name: 'emoji',
    unit: 'count',
    kind: 'continuous',
    description: 'emoji (Unicode Extended_Pictographic)',
    compute: (x) => count(x.text, EMOJI),
  },
  {
    name: 'empty',
    unit: '0/1',
    kind: 'binary',
    description: 'the response is empty or whitespace only',
    compute: (x) => (x.text.trim().length === 0 ? 1 : 0),
  },
  {
    name: 'correct',
    unit: '0/1',
    kind: 'binary',
    description: 'checkAnswer of src/probes/answer.ts where the probe has an answer, else not applicable',
    compute: (x) => (x.answer ? (checkAnswer(x.answer, x.text) ? 1 : 0) : Number.NaN),
  },
];

export const TRAIT_NAMES: readonly string[] = TRAITS.map((t) => t.name);

export function traitIndex(name: string): number {
  return TRAIT_NAMES.indexOf(name);
}

let wordTokenizer: NaturalTokenizer | undefined;

// A sentence ends at . ! ? (or their CJK forms) before whitespace or the end; a line (list item, header) that has
// letters or digits but no such mark still counts as one. A regex, not natural's SentenceTokenizer: the same counts
// on ordinary prose at a fraction of the cost over tens of thousands of responses.
const SENTENCE_END = /[.!?。！？]+(?=\s|$)/g;
const HAS_CONTENT = /[\p{L}\p{N}]/u;

export function sentenceCount(text: string): number {
  let n = 0;
  for (const line of text.split(/\n+/)) {
    if (!HAS_CONTENT.test(line)) continue;
    n += Math.max(1, (line.match(SENTENCE_END) ?? []).length);
  }
  return n;
}

/** Split a response once into what the traits read. */
export function traitInput(text: string, answer?: Answer): TraitInput {
  wordTokenizer ??= new (naturalTokenizers().WordTokenizer)();
  return {
    text,
    words: text.trim() ? wordTokenizer.tokenize(text) : [],
    sentences: sentenceCount(text),
    lines: text.split(/\r?\n/),
    answer,
  };
}

/** The trait vector of one response, in TRAITS order. */
export function computeTraits(text: string, answer?: Answer): Float64Array {
  const input = traitInput(text, answer);
  const out = new Float64Array(TRAITS.length);
  for (let t = 0; t < TRAITS.length; t++) out[t] = TRAITS[t]!.compute(input);
  return out;
}
