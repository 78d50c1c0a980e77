// Active probing's pure parts: the F-ratio of a pilot candidate by hand, the ranking, and the budget plan.
import { describe, expect, it } from 'vitest';
import {
  alleleMismatch,
  planAdaptive,
  rankProbes,
  scoreCandidate,
  selectProbes,
  WITHIN_FLOOR,
} from '../../src/analysis/probe-selection.js';

const absDiff = (a: number, b: number) => Math.abs(a - b);

describe('scoreCandidate', () => {
  it('divides mean between-model divergence by mean within-model divergence', () => {
    // Model 0: 0, 2 (within 2); model 1: 10, 10 (within 0). Within mean = 1. Between: |0-10| x2, |2-10| x2 -> 9.
    const s = scoreCandidate(
      {
        id: 'g',
        byModel: [
          [0, 2],
          [10, 10],
        ],
      },
      absDiff,
    );
    expect(s.within).toBe(1);
    expect(s.between).toBe(9);
    expect(s.f).toBe(9);
  });

  it('scores allele mismatch like F_ST: a gene every model answers alike within and apart between wins', () => {
    const sharp = scoreCandidate(
      {
        id: 'sharp',
        byModel: [
          ['a', 'a'],
          ['b', 'b'],
          ['c', 'c'],
        ],
      },
      alleleMismatch,
    );
    const noisy = scoreCandidate(
      {
        id: 'noisy',
        byModel: [
          ['a', 'b'],
          ['b', 'a'],
          ['a', 'b'],
        ],
      },
      alleleMismatch,
    );
    expect(sharp.within).toBe(0);
    expect(sharp.between).toBe(1);
    expect(sharp.f).toBe(1 / WITHIN_FLOOR);
    expect(noisy.within).toBe(1);
    expect(noisy.between).toBe(0.5);
    expect(selectProbes([noisy, sharp], 1)).toEqual(['sharp']);
  });

  it('ranks a deterministic probe (one observation per model) by its between-model divergence', () => {
    const s = scoreCandidate({ id: 'd', byModel: [[1], [4], [7]] }, absDiff);
    expect(s.within).toBeUndefined();
    expect(s.between).toBe(4); // (3 + 6 + 3) / 3
    expect(s.f).toBe(4 / WITHIN_FLOOR);
  });
});

describe('ranking and planning', () => {
  it('breaks ties by id, whatever the input order', () => {
    const scores = [
      { id: 'b', between: 1, f: 2 },
      { id: 'a', between: 1, f: 2 },
      { id: 'c', between: 1, f: 3 },
    ];
    expect(rankProbes(scores).map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expect(rankProbes([...scores].reverse()).map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expect(selectProbes(scores, 0)).toEqual([]);
    expect(selectProbes(scores, 10)).toHaveLength(3);
  });

  it('spends the pilot on every candidate and the rest on the best', () => {
    // 1,000 queries, 200 candidates x 2 pilot samples = 400; 600 left at 6 more samples each = 100 genes.
    expect(planAdaptive(1000, 200, 2, 8)).toEqual({ pilotQueries: 400, selected: 100, followUpSamples: 6 });
    // Never more selected than candidates; nothing left means nothing selected.
    expect(planAdaptive(10_000, 50, 2, 8).selected).toBe(50);
    expect(planAdaptive(100, 50, 2, 8).selected).toBe(0);
  });
});
