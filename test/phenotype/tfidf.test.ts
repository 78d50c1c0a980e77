import { describe, expect, it } from 'vitest';
import { forEachFeature, wordTokens } from '../../src/phenotype/features.js';
import { probeTfIdf, weightDocuments } from '../../src/phenotype/tfidf.js';
import { responseTable } from '../../src/phenotype/responses.js';
import { makeRun } from './fixtures.js';

const features = (text: string, kind: 'words' | 'word-punct' | 'char', ngram: [number, number], stopWords = false) => {
  const out: number[] = [];
  forEachFeature(text, { kind, ngram, stopWords }, (f) => out.push(f));
  return out;
};

describe('features', () => {
  it('words are lower-cased natural tokens; word-punct keeps markdown marks', () => {
    expect(wordTokens('Hello, World!')).toEqual(['hello', 'world']);
    expect(wordTokens('**Bold** - item', 'word-punct')).toEqual(['*', '*', 'bold', '*', '*', '-', 'item']);
  });

  it('counts n-grams: 3 words give 3 unigrams + 2 bigrams; equal text gives equal hashes', () => {
    expect(features('a b c', 'words', [1, 2])).toHaveLength(5);
    expect(features('The cat', 'words', [1, 1])).toEqual(features('the CAT', 'words', [1, 1]));
    expect(features('the cat', 'words', [1, 1], true)).toHaveLength(1);
  });

  it('character n-grams fold whitespace runs', () => {
    expect(features('abcd', 'char', [3, 3])).toHaveLength(2);
    expect(features('ab  \n cd', 'char', [2, 2])).toEqual(features('ab cd', 'char', [2, 2]));
  });
});

describe('tf-idf per probe', () => {
  it('weights by smooth idf and L2-normalises (hand computed)', () => {
    // Two documents over features 0, 1: doc A = {0: 2, 1: 1}, doc B = {0: 1}.
    // idf(0) = ln(3/3) + 1 = 1; idf(1) = ln(3/2) + 1.
    const [a, b] = weightDocuments(
      [
        { indices: Int32Array.from([0, 1]), counts: Float64Array.from([2, 1]) },
        { indices: Int32Array.from([0]), counts: Float64Array.from([1]) },
      ],
      2,
      { tf: 'raw', idf: 'smooth' },
    );
    const w1 = Math.log(1.5) + 1;
    const norm = Math.hypot(2, w1);
    expect(a!.values[0]).toBeCloseTo(2 / norm, 12);
    expect(a!.values[1]).toBeCloseTo(w1 / norm, 12);
    expect(Array.from(b!.values)).toEqual([1]);
    const [s] = weightDocuments([{ indices: Int32Array.from([0]), counts: Float64Array.from([4]) }], 1, {
      tf: 'sublinear',
      idf: 'none',
    });
    expect(s!.values[0]).toBe(1);
  });

  it('embeds each response in its probe space; a missing response has no vector', () => {
    const table = responseTable(
      makeRun([
        { model: 'm:a', probe: 'p1', texts: ['the cat sat'] },
        { model: 'm:b', probe: 'p1', texts: ['the cat sat'] },
        { model: 'm:c', probe: 'p1', texts: [{ error: 'x' }] },
        { model: 'm:c', probe: 'p2', texts: ['dogs bark'] },
      ]),
    );
    const emb = probeTfIdf(table);
    expect(emb.probes).toEqual(['p1', 'p2']);
    expect(emb.vectors[2]).toBeUndefined();
    expect(Array.from(emb.vectors[0]!.values)).toEqual(Array.from(emb.vectors[1]!.values));
    expect(emb.dims[0]).toBe(3);
    const norm = Math.hypot(...emb.vectors[0]!.values);
    expect(norm).toBeCloseTo(1, 12);
  });
});

describe('tf-idf per model', () => {
  it("pools a model's responses into one unit vector; models with the same words embed alike", async () => {
    const { modelTfIdf } = await import('../../src/phenotype/tfidf.js');
    const { cosineDistanceSparse } = await import('../../src/distance/cosine.js');
    const table = responseTable(
      makeRun([
        { model: 'm:a', probe: 'p1', texts: ['red apples'] },
        { model: 'm:a', probe: 'p2', texts: ['green pears'] },
        { model: 'm:b', probe: 'p1', texts: ['green pears'] },
        { model: 'm:b', probe: 'p2', texts: ['red apples'] },
        { model: 'm:c', probe: 'p1', texts: ['blue sky'] },
        { model: 'm:c', probe: 'p2', texts: ['grey sea'] },
      ]),
    );
    const emb = modelTfIdf(table);
    expect(emb.vectors).toHaveLength(3);
    expect(cosineDistanceSparse(emb.vectors[0]!, emb.vectors[1]!)).toBeCloseTo(0, 12);
    expect(cosineDistanceSparse(emb.vectors[0]!, emb.vectors[2]!)).toBe(1);
  });
});
