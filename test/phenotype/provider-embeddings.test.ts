// Provider embeddings, the pure part: the distinct texts to embed, and per-probe vectors from the embeddings that
// collection fetched (src/collect/embeddings.ts, tested in test/collect/embeddings.test.ts).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { cosineStack } from '../../src/distance/cosine.js';
import { pairIndex } from '../../src/distance/probe-stack.js';
import { distinctTexts, providerProbeEmbeddings } from '../../src/phenotype/provider-embeddings.js';
import { responseTable } from '../../src/phenotype/responses.js';
import { makeRun } from './fixtures.js';

describe('providerProbeEmbeddings', () => {
  const run = makeRun([
    { model: 'm:a', probe: 'p1', texts: ['red', 'blue'] },
    { model: 'm:b', probe: 'p1', texts: ['red'] },
    { model: 'm:c', probe: 'p1', texts: ['  '] },
    { model: 'm:a', probe: 'p2', texts: ['green'] },
    { model: 'm:b', probe: 'p2', texts: [{ error: 'boom' }] },
    { model: 'm:c', probe: 'p2', texts: ['green'] },
  ]);
  const table = responseTable(run);
  const vectors = new Map([
    ['red', Float64Array.from([2, 0, 0])],
    ['blue', Float64Array.from([0, 3, 0])],
    ['green', Float64Array.from([0, 0, 1])],
  ]);

  it('lists the distinct non-blank texts', () => {
    expect(distinctTexts(table).sort()).toEqual(['blue', 'green', 'red']);
  });

  it('averages a cell of unit vectors, leaves blanks empty and missing cells absent', () => {
    const emb = providerProbeEmbeddings(table, vectors, 'test:emb');
    const n = table.models.length;
    const cell = (p: number, m: number) => emb.vectors[p * n + m];
    expect([...cell(0, 0)!.values]).toEqual([Math.SQRT1_2, Math.SQRT1_2, 0].map((x) => expect.closeTo(x, 12)));
    expect([...cell(0, 1)!.values]).toEqual([1, 0, 0]);
    expect(cell(0, 2)!.indices).toHaveLength(0);
    expect(cell(1, 1)).toBeUndefined();
    expect([...emb.dims]).toEqual([3, 3]);

    // The same cosine machinery as TF-IDF: cos(a, b) on p1 is 1/sqrt(2); a blank is at distance 1.
    const stack = cosineStack(emb);
    const pairs = (n * (n - 1)) / 2;
    expect(stack.distances[pairIndex(n, 0, 1)]).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(stack.distances[pairIndex(n, 0, 2)]).toBe(1);
    expect(stack.distances[pairs + pairIndex(n, 0, 2)]).toBeCloseTo(0, 12);
    expect(stack.present[pairs + pairIndex(n, 0, 1)]).toBe(0);
    expect(stack.metric).toBe('cosine(test:emb)');
  });

  it('refuses vectors of different dimensions', () => {
    const mixed = new Map(vectors).set('green', Float64Array.from([1, 0]));
    expect(() => providerProbeEmbeddings(table, mixed, 'test:emb')).toThrow(InputError);
  });
});
