// The hellinger signal: closed-form values of the coarsened squared Hellinger distance, and the lineage of a synthetic
// tree of next-token distributions (logits drifting along known branches) recovered exactly.
import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse.js';
import { coarseHellinger } from '../../src/analysis/signals/hellinger.js';
import { DEFAULT_METHOD } from '../../src/analysis/signals/index.js';
import { InputError } from '../../src/core/errors.js';
import { seededRng, randomNormal } from '../../src/core/random.js';
import { OTHER_TOKEN } from '../../src/phenotype/logprob-profile.js';
import { parseNewick, robinsonFoulds } from '../../src/phylo/index.js';
import { makeRun } from '../phenotype/fixtures.js';
import { runWithLogprobs, top } from '../phenotype/logprob-fixtures.js';

const d = (entries: [string, number][]) => new Map(entries);

describe('coarseHellinger', () => {
  it('is 1 - the Bhattacharyya coefficient on complete lists', () => {
    expect(
      coarseHellinger(
        d([
          ['a', 0.5],
          ['b', 0.5],
        ]),
        d([
          ['a', 0.5],
          ['b', 0.5],
        ]),
      ),
    ).toBeCloseTo(0, 12);
    expect(coarseHellinger(d([['a', 1]]), d([['b', 1]]))).toBeCloseTo(1, 12);
    // BC = 2 sqrt(0.64 * 0.36) = 0.96.
    expect(
      coarseHellinger(
        d([
          ['a', 0.64],
          ['b', 0.36],
        ]),
        d([
          ['a', 0.36],
          ['b', 0.64],
        ]),
      ),
    ).toBeCloseTo(0.04, 12);
  });

  it('moves a token the other side did not list into the shared tail only when that side has a tail', () => {
    // b is unknown under y (somewhere in its 0.75 tail): cells {a}, tail; BC = sqrt(.5 * .25) + sqrt(.5 * .75).
    const x = d([
      ['a', 0.5],
      ['b', 0.5],
    ]);
    const y = d([
      ['a', 0.25],
      [OTHER_TOKEN, 0.75],
    ]);
    const want = 1 - Math.sqrt(0.125) - Math.sqrt(0.375);
    expect(coarseHellinger(x, y)).toBeCloseTo(want, 12);
    expect(coarseHellinger(y, x)).toBeCloseTo(want, 12);
    // Two open lists naming different tokens could be the same distribution: nothing tells them apart.
    expect(
      coarseHellinger(
        d([
          ['a', 0.6],
          [OTHER_TOKEN, 0.4],
        ]),
        d([
          ['b', 0.6],
          [OTHER_TOKEN, 0.4],
        ]),
      ),
    ).toBeCloseTo(0, 12);
  });
});

/**
 * Eight models on a known tree ((((m0,m1),(m2,m3)),((m4,m5),(m6,m7)))): each probe's logits over 12 tokens start
 * equal and every branch adds small independent Gaussian noise (a Brownian drift, the model of fine-tuning the signal's
 * additivity argument assumes); providers list the top 5.
 */
function driftRun(probes: number, seed: number) {
  const rng = seededRng(seed);
  const V = 12;
  const models = Array.from({ length: 8 }, (_, i) => `m${i}`);
  const logits = new Map<string, Float64Array>();
  for (let p = 0; p < probes; p++) {
    const drift = (from: Float64Array, scale: number) => from.map((v) => v + scale * randomNormal(rng));
    const root = new Float64Array(V);
    const halves = [drift(root, 0.3), drift(root, 0.3)];
    const quarters = halves.flatMap((h) => [drift(h, 0.2), drift(h, 0.2)]);
    quarters.forEach((q, i) => {
      for (const j of [0, 1]) logits.set(`m${2 * i + j}/p${p}`, drift(q, 0.1));
    });
  }
  const cells = models.flatMap((model) =>
    Array.from({ length: probes }, (_, p) => ({ model, probe: `p${p}`, texts: ['same answer'] })),
  );
  return runWithLogprobs(cells, (m, p) => {
    const l = logits.get(`${m}/${p}`)!;
    const z = l.reduce((a, v) => a + Math.exp(v), 0);
    const probs = Array.from(l, (v, t) => [`t${t}`, Math.exp(v) / z] as [string, number]);
    return top(probs.sort((a, b) => b[1] - a[1]).slice(0, 5));
  });
}

describe('the hellinger signal', () => {
  it('recovers a tree of drifting next-token distributions exactly from top-5 lists', () => {
    const truth = parseNewick('(((m0,m1),(m2,m3)),((m4,m5),(m6,m7)));');
    const result = analyseRun(driftRun(200, 4), { signal: 'hellinger' });
    expect(result.method).toBe(DEFAULT_METHOD.hellinger);
    expect(result.matrix.metric).toBe('hellinger2(top-5)');
    expect(robinsonFoulds(result.tree, truth).rf).toBe(0);
  });

  it('is a clear input error on a run collected without logprobs', () => {
    const run = makeRun([
      { model: 'a', probe: 'p', texts: ['x'] },
      { model: 'b', probe: 'p', texts: ['y'] },
      { model: 'c', probe: 'p', texts: ['z'] },
    ]);
    expect(() => analyseRun(run, { signal: 'hellinger' })).toThrow(InputError);
  });
});
