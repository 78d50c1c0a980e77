import { describe, expect, it } from 'vitest';
import { alleleFrequencies, alleleOf, hasRepeatedSamples } from '../../src/phenotype/alleles.js';
import { responseTable } from '../../src/phenotype/responses.js';
import { makeRun } from './fixtures.js';

describe('alleles', () => {
  it('an allele is the first 4 non-blank characters', () => {
    expect(alleleOf('  The cat')).toBe('Thec');
    expect(alleleOf('\n\nA\tB C D E')).toBe('ABCD');
    expect(alleleOf('ab')).toBe('ab');
    expect(alleleOf('😀 x y z')).toBe('😀xyz');
  });

  it('allele frequencies per model and gene, genes being probes sampled several times', () => {
    const data = makeRun([
      { model: 'm:a', probe: 'g1', texts: ['The sun', 'The moon', 'A star', 'The end'] },
      { model: 'm:b', probe: 'g1', texts: ['A star', 'A stone'] },
      { model: 'm:a', probe: 'single', texts: ['once'] },
      { model: 'm:b', probe: 'single', texts: ['once'] },
    ]);
    const table = responseTable(data);
    expect(hasRepeatedSamples(table)).toBe(true);
    const af = alleleFrequencies(table);
    expect(af.genes).toEqual(['g1']);
    expect(af.alleles[0]).toEqual(['Thes', 'Them', 'Asta', 'Thee', 'Asto']);
    expect(Array.from(af.frequencies[0]![0]!)).toEqual([0.25, 0.25, 0.25, 0.25, 0]);
    expect(Array.from(af.frequencies[0]![1]!)).toEqual([0, 0, 0.5, 0, 0.5]);
  });

  it('a run with one sample per probe has no genes', () => {
    const table = responseTable(
      makeRun([
        { model: 'm:a', probe: 'p', texts: ['x'] },
        { model: 'm:b', probe: 'p', texts: ['y'] },
      ]),
    );
    expect(hasRepeatedSamples(table)).toBe(false);
    expect(alleleFrequencies(table).genes).toEqual([]);
  });
});
