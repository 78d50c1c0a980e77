import { describe, expect, it } from 'vitest';
import { answeredCounts, cellOf, responseTable } from '../../src/phenotype/responses.js';
import { makeRun } from './fixtures.js';

describe('response table', () => {
  it('aligns samples by probe and model; failed samples are missing, empty answers are kept', () => {
    const table = responseTable(
      makeRun([
        { model: 'm:a', probe: 'p1', texts: ['one', 'two'] },
        { model: 'm:b', probe: 'p1', texts: [{ error: 'boom' }] },
        { model: 'm:a', probe: 'p2', texts: [''] },
        { model: 'm:b', probe: 'p2', texts: ['x'] },
        { model: 'm:a', probe: 'p3', texts: [{ error: 'down' }] },
      ]),
    );
    expect(table.models).toEqual(['m:a', 'm:b']);
    // p3 has no successful sample: dropped.
    expect(table.probes.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(cellOf(table, 0, 0)).toEqual(['one', 'two']);
    expect(cellOf(table, 0, 1)).toEqual([]);
    expect(cellOf(table, 1, 0)).toEqual(['']);
    expect(Array.from(answeredCounts(table))).toEqual([2, 1]);
  });
});
