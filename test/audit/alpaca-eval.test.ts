// The audit on real AlpacaEval outputs (../shared/data/alpaca_eval): two versions of one model told apart, one model
// against a disjoint half of itself not, and each model identified against the other 37 (top-1 in its family).
import { describe, expect, it } from 'vitest';
import { AnalysedRun } from '../../src/analysis/analysed-run.js';
import { testEquality } from '../../src/audit/equality.js';
import { identifyModel, rankByAnalysis } from '../../src/audit/identify.js';
import { samplesByModel } from '../../src/audit/model-samples.js';
import { alpacaEvalDir, loadAlpacaEvalRun, loadAlpacaFamilies } from '../analysis/alpaca-fixture.js';
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

describe.skipIf(!dir)('identification on AlpacaEval (each model against the other 37)', () => {
  const data = loadAlpacaEvalRun(dir!);
  const families = loadAlpacaFamilies(dir!);
  // A model left out of the reference run and added back as the target makes the same 38-model run: one analysis
  // serves every leave-one-out identification (the first test checks identifyModel's joint run agrees).
  const run = new AnalysedRun(data);
  const withRelative = data.run.models.filter((m) =>
    data.run.models.some((o) => o !== m && families.get(o) === families.get(m)),
  );

  it('identifyModel ranks a run member against the others only, as the one analysis of the whole run does', () => {
    const target = 'replay:vicuna-7b-v1.5';
    const id = identifyModel({ model: target, samples: samplesByModel(data).get(target)! }, data, {
      identifyBootstrap: 50,
      permutations: 200,
      bootstrap: 0,
    });
    expect(id.signal).toBe('embed');
    expect(id.ranking).toHaveLength(37);
    expect(id.ranking.map((r) => r.model)).not.toContain(target);
    const direct = rankByAnalysis(run, target, { replicates: 50 });
    expect(id.ranking.map((r) => r.model)).toEqual(direct.ranking.map((r) => r.model));
    id.ranking.forEach((r, i) => {
      expect(r.distance).toBeCloseTo(direct.ranking[i]!.distance, 12);
      expect(r.confidence).toBeCloseTo(direct.ranking[i]!.confidence, 12);
      expect(r.probes).toBe(direct.ranking[i]!.probes);
    });
    expect(id.ranking[0]!.model).toBe('replay:vicuna-13b-v1.5');
    expect(id.equal?.b).toBe('replay:vicuna-13b-v1.5');
  });

  it('puts a family member first for at least 32 of the 34 models that have one (measured: 33)', () => {
    expect(withRelative).toHaveLength(34);
    const misses: string[] = [];
    for (const target of withRelative) {
      const { ranking } = rankByAnalysis(run, target, { replicates: 20 });
      const top = ranking[0]!;
      expect(ranking).toHaveLength(37);
      expect(top.confidence).toBeGreaterThanOrEqual(0);
      expect(top.confidence).toBeLessThanOrEqual(1);
      if (families.get(top.model) !== families.get(target)) misses.push(`${target} -> ${top.model}`);
    }
    // The one measured miss is gpt4_1106_preview -> gpt-4o-mini; one more is allowed for near-ties.
    expect(misses.length, misses.join('; ')).toBeLessThanOrEqual(2);
  });
});
