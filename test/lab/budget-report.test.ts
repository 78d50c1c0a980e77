// The budget table writer: rows, baseline marking, missing cells, and the best-of lines at the top budget.
import { describe, expect, it } from 'vitest';
import { bestAtTop, budgetTableMarkdown } from '../../src/lab/experiment/budget-report.js';
import type { BudgetTable } from '../../src/lab/experiment/budget.js';

const table: BudgetTable = {
  budgets: [100, 1000],
  rows: [
    {
      signal: 'hellinger',
      method: 'bionj',
      design: 'logprob genes, random windows',
      baseline: false,
      cells: [
        { queries: 100, normalized: 0.3333, draws: 5 },
        { queries: 990, normalized: 0.1111, draws: 1 },
      ],
    },
    {
      signal: 'alleles',
      method: 'nj',
      design: 'PhyloLM: random genes x 8 samples',
      baseline: true,
      cells: [undefined, { queries: 816, normalized: 0.6667, draws: 1 }],
    },
    {
      signal: 'embed',
      method: 'upgma',
      design: 'random genes x 8 samples',
      baseline: false,
      cells: [
        { queries: 96, normalized: 1, draws: 5 },
        { queries: 816, normalized: 0.7778, draws: 1 },
      ],
    },
  ],
};

describe('budgetTableMarkdown', () => {
  const md = budgetTableMarkdown(table);

  it('writes one row per design, the budgets as columns, queries spent in brackets', () => {
    expect(md[0]).toBe('| signal | method | design | <= 100 | <= 1000 |');
    expect(md[1]).toBe('|---|---|---|---:|---:|');
    expect(md[2]).toBe('| hellinger | bionj | logprob genes, random windows | 0.333 (100) | 0.111 (990) |');
    expect(md[3]).toBe('| **alleles** (baseline) | nj | PhyloLM: random genes x 8 samples | - | 0.667 (816) |');
    expect(md[4]).toBe('| embed | upgma | random genes x 8 samples | 1.000 (96) | 0.778 (816) |');
  });

  it('names the best with logprobs, from sampled text alone, and the baseline at the top budget', () => {
    expect(md).toContain(
      '- Best with logprobs: hellinger (logprob genes, random windows, bionj), normalized RF 0.111 with 990 ' +
        'queries per model',
    );
    expect(md).toContain(
      '- Best from sampled text alone: alleles (PhyloLM: random genes x 8 samples, nj), normalized RF 0.667 with ' +
        '816 queries per model',
    );
    expect(md.some((l) => l.startsWith("- PhyloLM's recipe: alleles"))).toBe(true);
  });

  it("checks issue 12's targets against the best cell of each kind, at any budget", () => {
    expect(md).toContain(
      '- Target best phenotype <= 0.111: met (best cell 0.111: hellinger, logprob genes, random windows, <= 1000)',
    );
    expect(md).toContain(
      '- Target with logprobs <= 0.111: met (best cell 0.111: hellinger, logprob genes, random windows, <= 1000)',
    );
    expect(md).toContain(
      '- Target from sampled text alone <= 0.500: not met (best cell 0.667: alleles, PhyloLM: random genes x 8 ' +
        'samples, <= 1000)',
    );
  });

  it('says none when no row of a kind reaches the top budget', () => {
    expect(bestAtTop({ budgets: [1], rows: [] }, () => true)).toBeUndefined();
    expect(budgetTableMarkdown({ budgets: [1], rows: [] })).toContain('- Best with logprobs: none');
  });
});
