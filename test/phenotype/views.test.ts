import { describe, expect, it } from 'vitest';
import type { ResponseTable } from '../../src/phenotype/responses.js';
import { oneProbeTfIdf } from '../../src/phenotype/tfidf.js';
import {
  closingOf,
  functionWordsOf,
  layoutOf,
  namesAndNumbersOf,
  openingOf,
  TEXT_VIEWS,
  viewTable,
} from '../../src/phenotype/views.js';

const answer = [
  '## Steps to bake bread',
  '',
  'Here is how:',
  '- Mix **flour** and water',
  '1. Knead it for 10 minutes in Paris',
  'I hope this helps!',
].join('\n');

describe('text views of an answer', () => {
  it('keep the opening and the closing tokens', () => {
    // Words and marks, lower-cased; each mark its own token.
    expect(openingOf(answer, 4)).toBe('# # steps to');
    expect(closingOf(answer, 4)).toBe('hope this helps !');
  });

  it('reduce the layout to one token per line: kind, log2 length bucket, bold, colon', () => {
    expect(layoutOf(answer).split(' ')).toEqual(['head3', 'blank0', 'text2c', 'bullet3b', 'num4', 'text3']);
  });

  it('keep function words only, or names and numbers only', () => {
    expect(functionWordsOf('The cat sat on the mat')).toBe('the on the');
    // "We" opens the text and "She" a sentence; "Rome", "Anna" and the numbers are kept.
    expect(namesAndNumbersOf('We met Anna in Rome in 1999. She paid 3.50 euros.')).toBe('Anna Rome 1999 3.50');
  });

  it('replace every answer of a table by its view, missing answers staying missing', () => {
    const table: ResponseTable = {
      models: ['a', 'b'],
      probes: [{ id: 'p' as never, tags: [], prompt: { kind: 'chat', messages: [] } }],
      cells: [['Hello there. The end.'], []],
    };
    expect(viewTable(table, 'whole')).toBe(table);
    expect(viewTable(table, 'function-words').cells).toEqual([['there the'], []]);
    expect(TEXT_VIEWS).toContain('layout');
  });
});

describe('BM25 term weighting', () => {
  it('saturates repeated terms and normalises by length, still L2-normalised', () => {
    const table: ResponseTable = {
      models: ['a', 'b', 'c'],
      probes: [{ id: 'p' as never, tags: [], prompt: { kind: 'chat', messages: [] } }],
      cells: [['apple apple apple apple pear'], ['pear plum'], ['plum fig']],
    };
    const features = { kind: 'words', ngram: [1, 1], stopWords: false } as const;
    const raw = oneProbeTfIdf(table, 0, { features, tf: 'raw', idf: 'none' }).vectors[0]!;
    const bm25 = oneProbeTfIdf(table, 0, { features, tf: 'bm25', idf: 'none' }).vectors[0]!;
    const ratio = (v: { values: Float64Array }) => Math.max(...v.values) / Math.min(...v.values);
    // Raw counts weigh apple 4x pear; BM25's saturating tf much less.
    expect(ratio(raw)).toBeCloseTo(4, 12);
    expect(ratio(bm25)).toBeGreaterThan(1);
    expect(ratio(bm25)).toBeLessThan(2.5);
    const norm = Math.hypot(...bm25.values);
    expect(norm).toBeCloseTo(1, 12);
  });
});
