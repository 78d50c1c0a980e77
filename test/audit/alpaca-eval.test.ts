// The equality test on real AlpacaEval outputs (../shared/data/alpaca_eval): two versions of one model told apart,
// and one model against a disjoint half of itself not.
import { describe, expect, it } from 'vitest';
import { testEquality } from '../../src/audit/equality.js';
import { samplesByModel } from '../../src/audit/model-samples.js';
import { alpacaEvalDir, loadAlpacaEvalRun } from '../analysis/alpaca-fixture.js';
import { disjointHalves } from './real-null.js';

const dir = alpacaEvalDir();

describe.skipIf(!dir)('testEquality on AlpacaEval', () => {
  const byModel = samplesByModel(loadAlpacaEvalRun(dir!));
  const model = (name: string) => ({ model: `replay:${name}`, samples: byModel.get(`replay:${name}`)! });

  it('tells gpt-3.5-turbo-0613 from gpt-3.5-turbo-1106 with p < 0.01', () => {
    const r = testEquality(model('gpt-3.5-turbo-0613'), model('gpt-3.5-turbo-1106'));
    expect(r.probes).toBe(805);
    expect(r.permutations).toBe(1000);
    expect(r.pValue).toBeLessThan(0.01);
    expect(r.reject).toBe(true);
    expect(r.effect.ci95[0]).toBeGreaterThan(0);
  });

  it('does not tell gpt-3.5-turbo-0613 from a disjoint half of itself (20 seeded splits, alpha 0.05)', () => {
    const me = model('gpt-3.5-turbo-0613');
    let rejected = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const [a, b] = disjointHalves(me, seed);
      const r = testEquality(a, b, { seed, bootstrap: 0 });
      expect(r.probes).toBe(402);
      if (r.reject) rejected++;
    }
    // Binomial(20, 0.05): 4 or more rejections has probability 0.016.
    expect(rejected).toBeLessThanOrEqual(3);
  });
});
