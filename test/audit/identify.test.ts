// identifyModel on synthetic models: the joint run of the reference models and the target (a target from the
// reference run is compared against the others only; one from elsewhere is renamed when its ref collides), the
// seeded bootstrap confidence, and the bad inputs that end in one line.
import { describe, expect, it } from 'vitest';
import type { ModelRef, RunName, Sample } from '../../src/core/types.js';
import type { RunData } from '../../src/core/run.js';
import { InputError } from '../../src/core/errors.js';
import type { ModelSamples } from '../../src/audit/equality.js';
import { identifyModel, jointRun } from '../../src/audit/identify.js';
import { BASE_HABITS, type Habits, syntheticModel } from './synthetic.js';

const PROBES = 40;
const HABITS: Record<string, Habits> = {
  'lab:a': BASE_HABITS,
  'lab:b': { words: 80, bullets: 0.7, filler: [1, 1, 1, 1, 1, 1, 1, 9, 6, 5, 5, 5] },
  'lab:c': { words: 20, bullets: 0, filler: [1, 9, 1, 9, 1, 9, 1, 1, 9, 1, 9, 1] },
  'lab:d': { words: 50, bullets: 0.4, filler: [5, 1, 9, 1, 5, 1, 9, 1, 1, 5, 1, 1] },
};

function inRun(name: string, models: readonly ModelSamples[]): RunData {
  const samples: Sample[] = models.flatMap((m) => m.samples.map((s) => ({ ...s, run: name as RunName })));
  return {
    run: {
      name: name as RunName,
      suite: {
        name: 's',
        version: '1',
        description: 'synthetic',
        defaults: { sampling: { temperature: 1, maxTokens: 64 }, samples: 1 },
        probes: [],
      },
      models: models.map((m) => m.model as ModelRef),
      samples: 1,
      status: 'finished',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      origin: 'lab',
    },
    samples,
  };
}

const zooModels = Object.entries(HABITS).map(([m, h], k) => syntheticModel(m, PROBES, 1, 10 + k, h));
const zoo = inRun('zoo', zooModels);
const fresh = (model: string, seed: number) => syntheticModel(model, PROBES, 1, seed, HABITS[model]);
const options = { permutations: 200, bootstrap: 0, identifyBootstrap: 100 };

describe('identifyModel', () => {
  it('finds a fresh collection of a zoo model under its own name (the target is renamed, the zoo model stays)', () => {
    const id = identifyModel(fresh('lab:b', 99), zoo, options);
    expect(id.target).toBe('lab:b');
    expect(id.signal).toBe('embed');
    expect(id.ranking.map((r) => r.model).sort()).toEqual(['lab:a', 'lab:b', 'lab:c', 'lab:d']);
    expect(id.ranking[0]!.model).toBe('lab:b');
    expect(id.ranking[0]!.confidence).toBeGreaterThan(0.9);
    expect(id.ranking.reduce((s, r) => s + r.confidence, 0)).toBeCloseTo(1, 12);
    expect(id.ranking.every((r) => r.probes === PROBES)).toBe(true);
    expect(id.equal).toMatchObject({ a: 'lab:b', b: 'lab:b', probes: PROBES });
    expect(id.verdict).toMatch(/lab:b/);
    const { data, label } = jointRun(fresh('lab:b', 99), zoo);
    expect(label).toBe('lab:b (target)');
    expect(data.run.models).toEqual(['lab:a', 'lab:b', 'lab:c', 'lab:d', 'lab:b (target)']);
  });

  it('compares a member of the reference run against the others only', () => {
    const me = { model: 'lab:c', samples: zoo.samples.filter((s) => s.model === 'lab:c') };
    const id = identifyModel(me, zoo, options);
    expect(id.ranking.map((r) => r.model).sort()).toEqual(['lab:a', 'lab:b', 'lab:d']);
    expect(jointRun(me, zoo).label).toBe('lab:c');
  });

  it('is seeded: the same seed gives the same confidences, and --signal traits ranks by traits', () => {
    const a = identifyModel(fresh('lab:d', 5), zoo, { ...options, seed: 3 });
    const b = identifyModel(fresh('lab:d', 5), zoo, { ...options, seed: 3 });
    expect(b.ranking).toEqual(a.ranking);
    const traits = identifyModel(fresh('lab:d', 5), zoo, { ...options, signal: 'traits' });
    expect(traits.signal).toBe('traits');
    expect(traits.ranking).toHaveLength(4);
  });

  it('says in one line when it cannot rank: an unknown signal, one reference model, no answered probe', () => {
    const two = inRun('two', zooModels.slice(0, 2));
    expect(() => identifyModel(fresh('lab:b', 7), zoo, { signal: 'nope' })).toThrow(/--signal nope: use one of/);
    expect(() => identifyModel(fresh('lab:b', 7), inRun('one', zooModels.slice(0, 1)))).toThrow(InputError);
    expect(() => identifyModel(fresh('lab:b', 7), inRun('one', zooModels.slice(0, 1)))).toThrow(/at least 2/);
    const member = { model: 'lab:a', samples: two.samples.filter((s) => s.model === 'lab:a') };
    expect(() => identifyModel(member, two, options)).toThrow(/at least 2/);
    const failed = fresh('lab:a', 8);
    const none = {
      model: failed.model,
      samples: failed.samples.map((s) => ({ ...s, outcome: { status: 'error', kind: 'server', message: 'x' } })),
    } as ModelSamples;
    expect(() => identifyModel(none, zoo)).toThrow(/answered no probe/);
  });
});
