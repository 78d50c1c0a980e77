// The adaptive plan (how a budget splits into a pilot and a follow-up, the suite each phase collects) and the pilot's
// scoring of stored samples under each divergence.
import { describe, expect, it } from 'vitest';
import { pilotDivergenceFor, scorePilot, selectProbes } from '../../src/analysis/probe-selection.js';
import { adaptivePlan, phaseSuite, plannedQueries, resumeConflict } from '../../src/collect/adaptive-plan.js';
import type { ModelRef, ProbeId, RunName, Sample, TokenLogprob } from '../../src/core/types.js';
import { suiteOf } from './fakes.js';

function sample(model: string, probe: string, index: number, text: string, first?: TokenLogprob): Sample {
  return {
    run: 'r' as RunName,
    model: model as ModelRef,
    probe: probe as ProbeId,
    index,
    outcome: {
      status: 'ok',
      text,
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1 },
      ...(first ? { logprobs: [first] } : {}),
    },
    latencyMs: 0,
    attempts: 1,
    costUsd: 0,
    cached: false,
    at: '2025-01-01T00:00:00.000Z',
  } as Sample;
}

describe('adaptivePlan', () => {
  it('splits the budget: every candidate in the pilot, the rest in whole follow-ups, never over the budget', () => {
    const plan = adaptivePlan({ budget: 47, pilotSamples: 2, samples: 8 }, 10);
    expect(plan).toMatchObject({ pilotQueries: 20, selected: 4, followUpSamples: 6, candidates: 10 });
    expect(plannedQueries(plan)).toBe(44);
    expect(plannedQueries(adaptivePlan({ budget: 44, pilotSamples: 2, samples: 8 }, 10))).toBe(44);
    // More budget than every candidate can take: each is brought to `samples`, the rest is not spent.
    expect(plannedQueries(adaptivePlan({ budget: 1000, pilotSamples: 2, samples: 8 }, 10))).toBe(80);
  });

  it('refuses, naming the flag: a budget below the pilot, no room for one follow-up, too few samples', () => {
    expect(() => adaptivePlan({ budget: 19, pilotSamples: 2, samples: 8 }, 10)).toThrow(
      /^--budget: 19 queries per model is less than the pilot's 20 \(10 probes x 2 samples\)/,
    );
    expect(() => adaptivePlan({ budget: 25, pilotSamples: 2, samples: 8 }, 10)).toThrow(
      /^--budget: 25 .* leaves 5 after the pilot's 20, fewer than the 6 .*give --budget 26 or more$/,
    );
    expect(() => adaptivePlan({ budget: 100, pilotSamples: 2, samples: 2 }, 10)).toThrow(/^--samples: .* above 2/);
  });

  it('phase suites: the pilot asks every probe K times, the follow-up brings only the chosen to the plan', () => {
    const suite = suiteOf(4);
    const plan = adaptivePlan({ budget: 20, pilotSamples: 2, samples: 8 }, 4);
    const counts = (chosen?: Set<string>) => phaseSuite(suite, plan, chosen).probes.map((p) => p.samples);
    expect(counts()).toEqual([2, 2, 2, 2]);
    expect(counts(new Set([String(suite.probes[2]!.id)]))).toEqual([2, 2, 8, 2]);
    expect(suite.probes.map((p) => p.samples)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('a resume must be the same adaptive experiment', () => {
    const plan = adaptivePlan({ budget: 44, pilotSamples: 2, samples: 8 }, 10);
    expect(resumeConflict('r', plan, plan)).toBeUndefined();
    expect(resumeConflict('r', { ...plan, divergence: 'hellinger', chosen: 4 }, plan)).toBeUndefined();
    expect(resumeConflict('r', undefined, plan)).toMatch(/collected without --adaptive/);
    const other = adaptivePlan({ budget: 50, pilotSamples: 2, samples: 8 }, 10);
    expect(resumeConflict('r', other, plan)).toMatch(/adaptive with --budget 50 --pilot-samples 2 --samples 8/);
  });
});

describe('scorePilot', () => {
  const models = ['a', 'b', 'c'];
  // p-sep: each model keeps its own answer; p-same: every model answers alike, varying only with the sample.
  const texts: Record<string, (m: string, i: number) => string> = {
    'p-sep': (m, i) => `${{ a: 'the sea is wide', b: 'bright fires warm', c: 'numbers add up' }[m]} ${i}`,
    'p-same': (_m, i) => `everyone answers alike ${['red', 'blue'][i]}`,
  };
  const samples = Object.entries(texts).flatMap(([probe, t]) =>
    models.flatMap((m) => [0, 1, 2].map((i) => sample(m, probe, i, t(m, i)))),
  );

  it('text: TF-IDF cosine ranks the probe that separates models above the one that does not', () => {
    expect(pilotDivergenceFor(samples, 2)).toBe('tfidf-cosine');
    const scores = scorePilot(samples, ['p-same', 'p-sep', 'p-none'], models, 2, 'tfidf-cosine');
    const byId = new Map(scores.map((s) => [s.id, s]));
    expect(byId.get('p-sep')!.f).toBeGreaterThan(3);
    expect(byId.get('p-same')!.f).toBeLessThan(1.5);
    expect(byId.get('p-none')).toMatchObject({ between: 0, f: 0 });
    expect(selectProbes(scores, 1)).toEqual(['p-sep']);
  });

  it('reads only the pilot samples (index below K)', () => {
    const late = [...samples, sample('a', 'p-same', 5, 'a completely different late answer')];
    expect(scorePilot(late, ['p-same'], models, 2, 'tfidf-cosine')).toEqual(
      scorePilot(samples, ['p-same'], models, 2, 'tfidf-cosine'),
    );
  });

  it('logprobs: Hellinger on the first-token distributions when every pilot sample has them', () => {
    const first = (p: number): TokenLogprob => ({
      token: 'x',
      logprob: Math.log(p),
      top: [
        { token: 'x', logprob: Math.log(p) },
        { token: 'y', logprob: Math.log(1 - p) },
      ],
    });
    const withLogprobs = models.flatMap((m, k) => [
      sample(m, 'p-sep', 0, 'x', first(0.2 + 0.3 * k)),
      sample(m, 'p-sep', 1, 'y', first(0.2 + 0.3 * k)),
      sample(m, 'p-same', 0, 'x', first(0.5)),
      sample(m, 'p-same', 1, 'x', first(0.5)),
    ]);
    expect(pilotDivergenceFor(withLogprobs, 2)).toBe('hellinger');
    expect(pilotDivergenceFor([...withLogprobs, sample('a', 'p-new', 0, 'no logprobs')], 2)).toBe('tfidf-cosine');
    const [sep, same] = scorePilot(withLogprobs, ['p-sep', 'p-same'], models, 2, 'hellinger');
    expect(sep!.within).toBe(0);
    expect(sep!.between).toBeGreaterThan(0.01);
    expect(same!.between).toBe(0);
    expect(selectProbes([same!, sep!], 1)).toEqual(['p-sep']);
  });

  it('allele mismatch stays available: PhyloLM alleles (first characters) compared 0/1', () => {
    const [sep] = scorePilot(samples, ['p-sep'], models, 2, 'allele-mismatch');
    expect(sep).toMatchObject({ within: 0, between: 1 });
  });
});
