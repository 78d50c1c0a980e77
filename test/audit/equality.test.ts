import { describe, expect, it } from 'vitest';
import { testEquality, permutationPValue, type ModelSamples } from '../../src/audit/equality.js';
import { InputError } from '../../src/core/errors.js';
import { BASE_HABITS, syntheticModel } from './synthetic.js';

const SHIFTED = { ...BASE_HABITS, bullets: 0.45, filler: [9, 6, 5, 5, 5, 4, 4, 3, 1, 1, 1, 1] };

/** Share of tests rejected at alpha. */
function rejectionRate(tests: number, make: (i: number) => [ModelSamples, ModelSamples], alpha: number) {
  let rejected = 0;
  for (let i = 0; i < tests; i++) {
    const [a, b] = make(i);
    if (testEquality(a, b, { permutations: 200, seed: i + 1, alpha, bootstrap: 0 }).pValue <= alpha) rejected++;
  }
  return rejected / tests;
}

describe('testEquality on synthetic nulls (calibration)', () => {
  it('rejects 200 null tests with one sample per probe at a rate within sampling error of alpha = 0.05', () => {
    const rate = rejectionRate(
      200,
      (i) => [syntheticModel('a', 40, 1, 1000 + 2 * i), syntheticModel('b', 40, 1, 1001 + 2 * i)],
      0.05,
    );
    // Binomial(200, 0.05): sd 0.015; 3 sd either side.
    expect(rate).toBeGreaterThanOrEqual(0.005);
    expect(rate).toBeLessThanOrEqual(0.096);
  });

  it('stays calibrated with several samples per probe (the prompt-matched and allele parts are active)', () => {
    const rate = rejectionRate(
      120,
      (i) => [syntheticModel('a', 15, 4, 5000 + 2 * i), syntheticModel('b', 15, 4, 5001 + 2 * i)],
      0.05,
    );
    expect(rate).toBeLessThanOrEqual(0.11); // Binomial(120, 0.05): sd 0.02
    const { components } = testEquality(syntheticModel('a', 15, 4, 1), syntheticModel('b', 15, 4, 2), {
      permutations: 50,
    });
    expect(components.map((c) => c.name)).toEqual(
      expect.arrayContaining(['ngram pooled', 'style pooled', 'ngram matched', 'allele matched']),
    );
  });
});

describe('testEquality power', () => {
  it('detects shifted habits with one sample per probe (the pooled part carries it)', () => {
    const power = rejectionRate(
      20,
      (i) => [syntheticModel('a', 200, 1, 7000 + 2 * i), syntheticModel('b', 200, 1, 7001 + 2 * i, SHIFTED)],
      0.05,
    );
    expect(power).toBeGreaterThanOrEqual(0.9);
  });

  it('detects the same shift with fewer probes sampled several times', () => {
    const power = rejectionRate(
      20,
      (i) => [syntheticModel('a', 40, 5, 9000 + 2 * i), syntheticModel('b', 40, 5, 9001 + 2 * i, SHIFTED)],
      0.05,
    );
    expect(power).toBeGreaterThanOrEqual(0.9);
  });
});

describe('testEquality exactness', () => {
  it('with one sample per probe, has no prompt-matched component (it would be constant under the swap)', () => {
    const r = testEquality(syntheticModel('a', 30, 1, 1), syntheticModel('b', 30, 1, 2), { permutations: 100 });
    expect(r.components.map((c) => c.name)).toEqual(['ngram pooled', 'style pooled']);
  });

  it('gives p-values that are super-uniform under the null even with few probes (P(p <= a) <= a)', () => {
    // Six probes: 64 distinct relabellings, where a discrete test is most likely to be anti-conservative.
    const ps: number[] = [];
    for (let i = 0; i < 300; i++) {
      const r = testEquality(syntheticModel('a', 6, 1, 20_000 + 2 * i), syntheticModel('b', 6, 1, 20_001 + 2 * i), {
        permutations: 199,
        seed: i,
        bootstrap: 0,
      });
      ps.push(r.pValue);
    }
    for (const alpha of [0.05, 0.1, 0.25, 0.5]) {
      const rate = ps.filter((p) => p <= alpha).length / ps.length;
      // Binomial(300, alpha) upper 3 sd.
      expect(rate).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / 300));
    }
  });

  it('gives p = 1 for two identical collections and the smallest p for a total separation', () => {
    const a = syntheticModel('a', 20, 1, 3);
    const same = testEquality(a, { model: 'b', samples: a.samples }, { permutations: 99 });
    expect(same.pValue).toBe(1);
    expect(permutationPValue(5, [1, 2, 3])).toBe(0.25);
    expect(permutationPValue(2, [1, 2, 3])).toBe(0.75);
  });

  it('is reproducible: same seed, same result', () => {
    const a = syntheticModel('a', 30, 2, 11);
    const b = syntheticModel('b', 30, 2, 12, SHIFTED);
    expect(testEquality(a, b, { seed: 7, permutations: 300 })).toEqual(
      testEquality(a, b, { seed: 7, permutations: 300 }),
    );
  });
});

describe('testEquality output', () => {
  it('reports an effect with its interval and the probes that carry the difference, with both responses', () => {
    const r = testEquality(syntheticModel('a', 100, 1, 31), syntheticModel('b', 100, 1, 32, SHIFTED), {
      evidence: 3,
    });
    expect(r).toMatchObject({ a: 'a', b: 'b', probes: 100, permutations: 1000, seed: 1, alpha: 0.05, reject: true });
    expect(r.effect.estimate).toBeGreaterThan(0);
    expect(r.effect.ci95[0]).toBeLessThanOrEqual(r.effect.estimate);
    expect(r.effect.ci95[1]).toBeGreaterThanOrEqual(r.effect.estimate);
    expect(r.topProbes).toHaveLength(3);
    expect(r.topProbes[0]!.a[0]).toMatch(/topic/);
    expect(r.topProbes[0]!.b).toHaveLength(1);
    expect(r.topProbes[0]!.contribution).toBeGreaterThanOrEqual(r.topProbes[2]!.contribution);
  });

  it('refuses pairs without enough shared probes, naming the models', () => {
    const a = syntheticModel('a', 4, 1, 1);
    expect(() => testEquality(a, syntheticModel('b', 4, 1, 2))).toThrow(InputError);
    expect(() => testEquality(a, syntheticModel('b', 4, 1, 2))).toThrow(/a and b share 4 answered probes/);
    const other = { model: 'c', samples: a.samples.map((s) => ({ ...s, probe: `x-${s.probe}` as typeof s.probe })) };
    expect(() => testEquality(a, other)).toThrow(/share no answered probe/);
  });
});

describe('testEquality with first-token logprobs', () => {
  /** The same responses with a top-3 first-token distribution; `confident` puts more mass on the first token. */
  function withLogprobs(m: ModelSamples, confident: number): ModelSamples {
    return {
      model: m.model,
      samples: m.samples.map((s) =>
        s.outcome.status !== 'ok'
          ? s
          : {
              ...s,
              outcome: {
                ...s.outcome,
                logprobs: [
                  {
                    token: 'The',
                    logprob: Math.log(confident),
                    top: [
                      { token: 'The', logprob: Math.log(confident) },
                      { token: 'A', logprob: Math.log((1 - confident) / 2) },
                      { token: 'Sure', logprob: Math.log((1 - confident) / 2) },
                    ],
                  },
                ],
              },
            },
      ),
    };
  }

  it('adds a logprob component when both sides have top logprobs, and it carries a shift in confidence', () => {
    const text = syntheticModel('a', 60, 1, 41);
    const other = syntheticModel('b', 60, 1, 42);
    const r = testEquality(withLogprobs(text, 0.5), withLogprobs(other, 0.9), { permutations: 500 });
    const logprob = r.components.find((c) => c.name === 'logprob pooled');
    expect(logprob).toBeDefined();
    expect(logprob!.pValue).toBeLessThan(0.01);
    expect(r.reject).toBe(true);
    const same = testEquality(withLogprobs(text, 0.5), withLogprobs(other, 0.5), { permutations: 500 });
    expect(same.components.find((c) => c.name === 'logprob pooled')!.pValue).toBe(1);
  });
});
