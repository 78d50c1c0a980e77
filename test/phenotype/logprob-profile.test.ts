import { describe, expect, it } from 'vitest';
import {
  firstTokenDistribution,
  hasTopLogprobs,
  logprobProfile,
  OTHER_TOKEN,
} from '../../src/phenotype/logprob-profile.js';
import { responseTable } from '../../src/phenotype/responses.js';
import { makeRun } from './fixtures.js';
import { runWithLogprobs, top } from './logprob-fixtures.js';

const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('firstTokenDistribution', () => {
  it('keeps the top-k probabilities and puts the tail mass in one other bucket', () => {
    const d = firstTokenDistribution(
      top([
        ['A', 0.5],
        ['B', 0.3],
        ['C', 0.05],
      ]),
    )!;
    expect(d.get('A')).toBeCloseTo(0.5, 12);
    expect(d.get('B')).toBeCloseTo(0.3, 12);
    expect(d.get('C')).toBeCloseTo(0.05, 12);
    expect(d.get(OTHER_TOKEN)).toBeCloseTo(0.15, 12);
    expect(sum(d)).toBeCloseTo(1, 12);
  });

  it('sums a token listed twice and rescales when rounding makes the listed mass exceed 1', () => {
    const d = firstTokenDistribution({
      token: 'x',
      logprob: Math.log(0.6),
      top: [
        { token: 'x', logprob: Math.log(0.6) },
        { token: 'y', logprob: Math.log(0.3) },
        { token: 'x', logprob: Math.log(0.1) },
      ],
    })!;
    expect(d.get('x')).toBeCloseTo(0.7, 12);
    expect(d.has(OTHER_TOKEN)).toBe(true);
    const over = firstTokenDistribution(
      top([
        ['a', 0.7],
        ['b', 0.4],
      ]),
    )!;
    expect(over.has(OTHER_TOKEN)).toBe(false);
    expect(over.get('a')! / over.get('b')!).toBeCloseTo(0.7 / 0.4, 12);
    expect(sum(over)).toBeCloseTo(1, 12);
  });

  it('is undefined without alternatives, and ignores NaN from the wire', () => {
    expect(firstTokenDistribution(undefined)).toBeUndefined();
    expect(firstTokenDistribution({ token: 'a', logprob: -0.1 })).toBeUndefined();
    expect(firstTokenDistribution({ token: 'a', logprob: -0.1, top: [] })).toBeUndefined();
    const d = firstTokenDistribution({
      token: 'a',
      logprob: -1,
      top: [
        { token: 'a', logprob: Math.log(0.5) },
        { token: 'b', logprob: Number.NaN },
      ],
    })!;
    expect([...d.keys()].sort()).toEqual(['a', OTHER_TOKEN].sort());
  });
});

describe('logprobProfile', () => {
  const cells = [
    { model: 'm1', probe: 'p1', texts: ['a', 'a'] },
    { model: 'm2', probe: 'p1', texts: ['b', { error: 'boom' }] },
    { model: 'm1', probe: 'p2', texts: ['c'] },
    { model: 'm2', probe: 'p2', texts: ['c'] },
  ];

  it('aligns to the response table, averages repeated samples and leaves cells without logprobs empty', () => {
    const data = runWithLogprobs(cells, (m, p, i) => {
      if (m === 'm2' && p === 'p2') return undefined;
      if (m === 'm1' && p === 'p1')
        return i === 0
          ? top([
              ['a', 0.8],
              ['b', 0.2],
            ])
          : top([
              ['a', 0.4],
              ['c', 0.4],
            ]);
      return top([['b', 0.9]]);
    });
    const table = responseTable(data);
    const profile = logprobProfile(data, table);
    expect(profile.models).toEqual(table.models);
    expect(profile.probes).toEqual(table.probes.map((p) => String(p.id)));
    expect(profile.k).toBe(2);
    const n = table.models.length;
    const at = (p: string, m: string) => profile.cells[profile.probes.indexOf(p) * n + table.models.indexOf(m)];
    const m1p1 = at('p1', 'm1')!;
    expect(m1p1.get('a')).toBeCloseTo(0.6, 12);
    expect(m1p1.get('b')).toBeCloseTo(0.1, 12);
    expect(m1p1.get('c')).toBeCloseTo(0.2, 12);
    expect(m1p1.get(OTHER_TOKEN)).toBeCloseTo(0.1, 12);
    expect(sum(m1p1)).toBeCloseTo(1, 12);
    expect(at('p1', 'm2')!.get('b')).toBeCloseTo(0.9, 12);
    expect(at('p2', 'm2')).toBeUndefined();
    expect(hasTopLogprobs(data)).toBe(true);
  });

  it('sees no logprobs in a run collected without them', () => {
    const data = makeRun(cells);
    expect(hasTopLogprobs(data)).toBe(false);
    expect(logprobProfile(data, responseTable(data)).cells.every((c) => c === undefined)).toBe(true);
  });
});
