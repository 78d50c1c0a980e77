// Views of an answer: what part of its text a bag-of-features embedding sees. The whole text is the default; the
// others isolate one habit a lineage may share: how an answer opens and how it closes (greetings, restatements,
// sign-offs), its layout (headings, lists, line lengths: the markdown skeleton), its function words (style without
// topic: Mosteller & Wallace 1964) and its named things and numbers (what it knows). Each view is a text to text
// function, so the TF-IDF, the per-probe distances and the votes are the same code for every view.
import { naturalStopWords } from './natural.js';
import { wordTokens } from './features.js';
import type { ResponseTable } from './responses.js';

export type TextView = 'whole' | 'opening' | 'closing' | 'layout' | 'function-words' | 'names-numbers';

export const TEXT_VIEWS: readonly TextView[] = [
  'whole',
  'opening',
  'closing',
  'layout',
  'function-words',
  'names-numbers',
];

/** Tokens (words and marks) an opening or a closing keeps. */
export const EDGE_TOKENS = 24;

/** The first EDGE_TOKENS word and punctuation tokens, space-separated. */
export function openingOf(text: string, tokens = EDGE_TOKENS): string {
  return wordTokens(text, 'word-punct').slice(0, tokens).join(' ');
}

/** The last EDGE_TOKENS word and punctuation tokens, space-separated. */
export function closingOf(text: string, tokens = EDGE_TOKENS): string {
  const all = wordTokens(text, 'word-punct');
  return all.slice(Math.max(0, all.length - tokens)).join(' ');
}

const LINE_KINDS: readonly (readonly [string, RegExp])[] = [
  ['head', /^#+\s/],
  ['fence', /^```/],
  ['bullet', /^[-*•+]\s/],
  ['num', /^\d+[.)]\s/],
  ['quote', /^>/],
  ['table', /^\|/],
];

/**
 * One token per line: its kind (blank, heading, code fence, bullet, numbered, quote, table row, text), its length in
 * words as a log2 bucket (0-6), `b` when it has bold marks and `c` when it ends with a colon; e.g. `bullet3b`.
 */
export function layoutOf(text: string): string {
  return text
    .split('\n')
    .map((raw) => {
      const line = raw.trim();
      const kind = line === '' ? 'blank' : (LINE_KINDS.find(([, re]) => re.test(line))?.[0] ?? 'text');
      const words = line.split(/\s+/).filter(Boolean).length;
      const length = words === 0 ? 0 : Math.min(6, Math.floor(Math.log2(words)) + 1);
      return `${kind}${length}${line.includes('**') ? 'b' : ''}${line.endsWith(':') ? 'c' : ''}`;
    })
    .join(' ');
}

let stopWords: Set<string> | undefined;

/** The answer's function words (natural's English stop-word list) in order, the rest dropped. */
export function functionWordsOf(text: string): string {
  stopWords ??= new Set(naturalStopWords());
  const stop = stopWords;
  return wordTokens(text, 'words')
    .filter((w) => stop.has(w))
    .join(' ');
}

/**
 * Names and numbers, roughly: words with a digit, and capitalised words that are neither the first word nor right
 * after a sentence's end (. ! ? :). Lines are not told apart, so a capitalised word opening a line counts.
 */
export function namesAndNumbersOf(text: string): string {
  const tokens = text.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const word = token.replace(/^\W+|\W+$/g, '');
    if (!word) continue;
    const opensSentence = i === 0 || /[.!?:]$/.test(tokens[i - 1]!) || /^[-*#\d]/.test(token);
    if (/\d/.test(word) || (/^[A-Z]/.test(word) && !opensSentence)) out.push(word);
  }
  return out.join(' ');
}

export function viewOf(view: TextView, text: string): string {
  switch (view) {
    case 'whole':
      return text;
    case 'opening':
      return openingOf(text);
    case 'closing':
      return closingOf(text);
    case 'layout':
      return layoutOf(text);
    case 'function-words':
      return functionWordsOf(text);
    case 'names-numbers':
      return namesAndNumbersOf(text);
  }
}

/** The same table with every answer replaced by its view (missing answers stay missing). */
export function viewTable(table: ResponseTable, view: TextView): ResponseTable {
  if (view === 'whole') return table;
  return { ...table, cells: table.cells.map((cell) => cell.map((text) => viewOf(view, text))) };
}
