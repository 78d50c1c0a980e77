import { describe, expect, it } from 'vitest';
import { planRun, plannedTotal, resolveSampling } from '../../src/collect/plan.js';
import { fullJitterDelay, retryDelay } from '../../src/collect/backoff.js';
import { seededRng } from '../../src/core/random.js';
import { modelRef } from '../../src/core/refs.js';
import type { ProbeId, Suite } from '../../src/core/types.js';
import { sampleCellKey, type StoredSampleState } from '../../src/store/sqlite.js';
import { specOf } from './fakes.js';

const suite: Suite = {
  name: 's',
  version: '1',
  description: '',
  defaults: { sampling: { temperature: 0.7, maxTokens: 100, topP: 0.9 }, samples: 1 },
  probes: [
    { id: 'plain' as ProbeId, tags: [], prompt: { kind: 'chat', messages: [{ role: 'user', content: 'a' }] } },
    {
      id: 'hot' as ProbeId,
      tags: [],
      prompt: { kind: 'prefix', prefix: 'b' },
      sampling: { temperature: 1.2 },
      samples: 4,
    },
  ],
};

describe('plan', () => {
  it('resolves sampling as suite defaults < run flags < probe overrides', () => {
    expect(resolveSampling(suite.defaults.sampling, { temperature: 0, maxTokens: 50 }, undefined)).toEqual({
      temperature: 0,
      maxTokens: 50,
      topP: 0.9,
    });
    expect(resolveSampling(suite.defaults.sampling, { temperature: 0, maxTokens: 50 }, { temperature: 1.2 })).toEqual({
      temperature: 1.2,
      maxTokens: 50,
      topP: 0.9,
    });
    expect(resolveSampling(suite.defaults.sampling, { temperature: undefined }, { seed: 3 })).toEqual({
      temperature: 0.7,
      maxTokens: 100,
      topP: 0.9,
      seed: 3,
    });
  });

  it("plans models x probes x samples, a probe's own count winning", () => {
    const spec = { ...specOf('r', suite, ['x:a', 'x:b'], 2), sampling: { temperature: 0.1 } };
    const items = planRun(spec, new Map());
    expect(items.length).toBe(2 * (2 + 4));
    expect(plannedTotal(spec)).toBe(12);
    expect(
      items
        .filter((i) => i.probe.id === 'hot')
        .map((i) => i.index)
        .sort(),
    ).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(items.find((i) => i.probe.id === 'plain')!.sampling.temperature).toBe(0.1);
    expect(items.find((i) => i.probe.id === 'hot')!.sampling.temperature).toBe(1.2);
  });

  it('skips stored answers and permanent failures, re-plans failures that may pass', () => {
    const spec = specOf('r', suite, ['x:a'], 1);
    const stored = new Map<string, StoredSampleState>([
      [sampleCellKey('x:a', 'plain', 0), { status: 'ok' }],
      [sampleCellKey('x:a', 'hot', 0), { status: 'error', kind: 'unsupported' }],
      [sampleCellKey('x:a', 'hot', 1), { status: 'error', kind: 'rate_limit' }],
      [sampleCellKey('x:a', 'hot', 2), { status: 'error', kind: 'auth' }],
    ]);
    expect(planRun(spec, stored).map((i) => `${i.probe.id}/${i.index}`)).toEqual(['hot/1', 'hot/2', 'hot/3']);
    expect(planRun(spec, stored, { retryAllErrors: true }).map((i) => `${i.probe.id}/${i.index}`)).toEqual([
      'hot/0',
      'hot/1',
      'hot/2',
      'hot/3',
    ]);
  });
});

describe('backoff', () => {
  it('full jitter stays within [0, min(cap, base * 2^(attempt-1))] and spreads', () => {
    const rng = seededRng(42);
    const policy = { baseMs: 100, capMs: 1000 };
    for (let attempt = 1; attempt <= 8; attempt++) {
      const draws = Array.from({ length: 200 }, () => fullJitterDelay(attempt, policy, rng));
      const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...draws)).toBeLessThanOrEqual(ceiling);
      // Uniform on [0, ceiling]: the spread covers most of the range.
      expect(Math.max(...draws) - Math.min(...draws)).toBeGreaterThan(0.8 * ceiling);
    }
  });

  it("a server's retry-after wins over the exponential guess", () => {
    const rng = seededRng(1);
    const policy = { baseMs: 100, capMs: 1000 };
    for (let i = 0; i < 50; i++) {
      const d = retryDelay(1, 7000, policy, rng);
      expect(d).toBeGreaterThanOrEqual(7000);
      expect(d).toBeLessThanOrEqual(7100);
    }
  });
});

describe('per-sample seeds (issue 16)', () => {
  const suite = (seed?: number): Suite => ({
    name: 's',
    version: '1',
    description: '',
    defaults: { sampling: { temperature: 1, maxTokens: 8, ...(seed !== undefined ? { seed } : {}) }, samples: 3 },
    probes: ['a', 'b'].map((id) => ({ id: id as ProbeId, tags: [], prompt: { kind: 'prefix', prefix: id } })),
  });
  const seeds = (items: ReturnType<typeof planRun>) =>
    new Map(items.map((i) => [`${i.model}/${i.probe.id}/${i.index}`, i.sampling.seed]));

  it('derive from (run seed, model, probe, index): not from order, resume state, or the profile name', () => {
    const run = { ...specOf('r', suite(), ['lab:x', 'lab:y'], 3), sampling: { seed: 7 } };
    const all = seeds(planRun(run, new Map()));
    expect(all.size).toBe(12);
    expect(new Set(all.values()).size).toBe(12);
    // Models listed in another order, or half the samples already stored: each remaining sample keeps its seed.
    const reordered = seeds(planRun({ ...run, models: [...run.models].reverse() }, new Map()));
    expect(reordered).toEqual(all);
    const stored = new Map<string, StoredSampleState>([[sampleCellKey('lab:x', 'a', 0), { status: 'ok' }]]);
    const resumed = seeds(planRun(run, stored));
    for (const [cell, seed] of resumed) expect(seed).toBe(all.get(cell));
    // The model's name, not its ref's prefix: two profiles of one server draw (and cache) the same samples.
    const other = seeds(planRun({ ...run, models: [modelRef('local:x')] }, new Map()));
    expect(other.get('local:x/a/1')).toBe(all.get('lab:x/a/1'));
    // Another run seed: every seed changes.
    const eight = seeds(planRun({ ...run, sampling: { seed: 8 } }, new Map()));
    for (const [cell, seed] of eight) expect(seed).not.toBe(all.get(cell));
  });

  it('a suite seed seeds the run like --seed; no seed anywhere leaves samples unseeded', () => {
    const fromSuite = seeds(planRun(specOf('r', suite(7), ['lab:x'], 2), new Map()));
    const fromRun = seeds(planRun({ ...specOf('r', suite(), ['lab:x'], 2), sampling: { seed: 7 } }, new Map()));
    expect(fromSuite).toEqual(fromRun);
    const unseeded = planRun(specOf('r', suite(), ['lab:x'], 2), new Map());
    expect(unseeded.every((i) => i.sampling.seed === undefined)).toBe(true);
  });
});
