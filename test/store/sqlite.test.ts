import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { Completion, ModelRef, ProbeId, RunName, Sample } from '../../src/core/types.js';
import { cacheKey, canonicalJson, type CacheKeyInput } from '../../src/store/cache-key.js';
import { DB_FILE, openStore, openStoreReadonly, sampleCellKey } from '../../src/store/sqlite.js';
import { summarizeRun, quantile } from '../../src/store/summary.js';
import { suiteOf } from '../collect/fakes.js';
import { storeFixture } from './store-fixture.js';

const { fresh, track } = storeFixture((dir) => path.join(dir, 'nested', 'results'));

const RUN = 'r1' as RunName;

function ok(model: string, probe: string, index: number, text: string, latencyMs = 10): Sample {
  return {
    run: RUN,
    model: model as ModelRef,
    probe: probe as ProbeId,
    index,
    outcome: {
      status: 'ok',
      text,
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 5 },
      temperatureUsed: 0.7,
      logprobs: [{ token: 'a', logprob: -0.5 }],
    },
    latencyMs,
    attempts: 1,
    costUsd: 0.001,
    at: new Date().toISOString(),
  };
}

describe('SqliteStore', () => {
  it('creates phylo.db in WAL mode in a folder it makes', () => {
    const { store } = fresh();
    expect(path.basename(store.file)).toBe(DB_FILE);
    expect(fs.existsSync(store.file)).toBe(true);
    store.createRun({ name: RUN, suite: suiteOf(2), models: ['fake:a' as ModelRef], samples: 1, origin: 'run' });
    expect(fs.existsSync(`${store.file}-wal`)).toBe(true);
    expect(store.integrityCheck()).toBe('ok');
  });

  it('round-trips a run and its samples, ok and error, through the RunStore interface', () => {
    const { store } = fresh();
    const suite = suiteOf(3);
    store.createRun({
      name: RUN,
      suite,
      models: ['fake:a', 'fake:b'] as ModelRef[],
      samples: 2,
      sampling: { temperature: 0.2 },
      origin: 'run',
    });
    const error: Sample = {
      ...ok('fake:b', 'p1', 0, ''),
      outcome: { status: 'error', kind: 'timeout', message: 'no answer' },
      attempts: 5,
    };
    store.writeBatch([ok('fake:a', 'p0', 0, 'hello'), ok('fake:a', 'p0', 1, ''), error]);
    const data = store.loadRun(RUN);
    expect(data.run.suite).toEqual(suite);
    expect(data.run.models).toEqual(['fake:a', 'fake:b']);
    expect(data.run.sampling).toEqual({ temperature: 0.2 });
    expect(data.run.status).toBe('running');
    expect(data.samples.length).toBe(3);
    const a0 = data.samples.find((s) => s.model === 'fake:a' && s.index === 0)!;
    expect(a0.outcome).toEqual({
      status: 'ok',
      text: 'hello',
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 5 },
      temperatureUsed: 0.7,
      logprobs: [{ token: 'a', logprob: -0.5 }],
    });
    const empty = data.samples.find((s) => s.model === 'fake:a' && s.index === 1)!;
    expect(empty.outcome.status === 'ok' && empty.outcome.text).toBe('');
    const b = store.samplesOf(RUN, 'fake:b' as ModelRef);
    expect(b.map((s) => s.outcome)).toEqual([{ status: 'error', kind: 'timeout', message: 'no answer' }]);
    expect(b[0]!.attempts).toBe(5);
    const states = store.sampleStates(RUN);
    expect(states.get(sampleCellKey('fake:b', 'p1', 0))).toEqual({ status: 'error', kind: 'timeout' });
    expect(states.get(sampleCellKey('fake:a', 'p0', 0))).toEqual({ status: 'ok' });
    const [row] = store.listRuns();
    expect(row).toMatchObject({
      name: RUN,
      suite: 'fake-suite',
      models: 2,
      probes: 3,
      samples: 3,
      errors: 1,
      // Stored `running` but no live process holds its lease: a crashed collection, listed as interrupted.
      status: 'interrupted',
    });
    expect(store.getRun(RUN).status).toBe('running');
    const held = store.leases().tryAcquire(RUN);
    expect(store.listRuns()[0]!.status).toBe('running');
    if (held.ok) held.lease.release();
  });

  it('a retried sample replaces its error: one row per (run, model, probe, index)', () => {
    const { store } = fresh();
    store.createRun({ name: RUN, suite: suiteOf(1), models: ['fake:a' as ModelRef], samples: 1, origin: 'run' });
    store.writeBatch([{ ...ok('fake:a', 'p0', 0, ''), outcome: { status: 'error', kind: 'server', message: '503' } }]);
    store.writeBatch([ok('fake:a', 'p0', 0, 'second try')]);
    const samples = store.samplesOf(RUN);
    expect(samples.length).toBe(1);
    expect(samples[0]!.outcome.status === 'ok' && samples[0]!.outcome.text).toBe('second try');
  });

  it('names the run and the fix when a run does not exist or already exists', () => {
    const { store } = fresh();
    expect(() => store.getRun('nope' as RunName)).toThrow(InputError);
    expect(() => store.getRun('nope' as RunName)).toThrow(/run "nope" not found.*phylo runs/);
    store.createRun({ name: RUN, suite: suiteOf(1), models: ['fake:a' as ModelRef], samples: 1, origin: 'run' });
    expect(() => store.createRun({ name: RUN, suite: suiteOf(1), models: [], samples: 1, origin: 'run' })).toThrow(
      /already exists/,
    );
  });

  it('caches completions by key and keeps them across reopen', () => {
    const { store } = fresh();
    const completion: Completion = {
      text: 'cached answer',
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 2 },
      temperatureUsed: 0,
    };
    store.writeBatch([], [{ key: 'k1', completion }]);
    expect(store.cacheGet('k1')).toEqual(completion);
    expect(store.cacheGet('k2')).toBeUndefined();
    const file = store.file;
    store.close();
    const again = track(openStore(path.dirname(file)));
    expect(again.cacheGet('k1')).toEqual(completion);
  });

  it('opens read-only beside a writer, and names the folder when there is no store', () => {
    const { store } = fresh();
    store.createRun({ name: RUN, suite: suiteOf(1), models: ['fake:a' as ModelRef], samples: 1, origin: 'run' });
    store.writeBatch([ok('fake:a', 'p0', 0, 'seen by the reader')]);
    const reader = track(openStoreReadonly(path.dirname(store.file)));
    const [s] = reader.samplesOf(RUN);
    expect(s!.outcome.status === 'ok' && s!.outcome.text).toBe('seen by the reader');
    expect(() =>
      reader.createRun({ name: 'x' as RunName, suite: suiteOf(1), models: [], samples: 1, origin: 'run' }),
    ).toThrow(/readonly/);
    expect(() => openStoreReadonly(path.join(path.dirname(store.file), 'elsewhere'))).toThrow(/has no phylo\.db/);
  });

  it('refuses a database written by a newer schema', () => {
    const { store } = fresh();
    const file = store.file;
    store.close();
    // Simulate a future version.
    const dir = path.dirname(file);
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openStore(dir)).toThrow(/newer than this phylo/);
  });
});

describe('cache key', () => {
  const base: CacheKeyInput = {
    providerKind: 'openai',
    baseURL: 'http://127.0.0.1:1234/v1',
    model: 'gpt-4o-mini',
    prompt: { kind: 'chat', messages: [{ role: 'user', content: 'hi' }] },
    sampling: { temperature: 0.7, maxTokens: 64 },
    index: 0,
  };

  it('is canonical: key order and undefined fields do not change it', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }] })).toBe('{"a":[1,{"c":"x"}],"b":1}');
    const reordered: CacheKeyInput = {
      index: 0,
      sampling: { maxTokens: 64, temperature: 0.7, topP: undefined },
      prompt: base.prompt,
      model: base.model,
      baseURL: `${base.baseURL}/`,
      providerKind: 'openai',
    };
    expect(cacheKey(reordered)).toBe(cacheKey(base));
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with everything that changes a response', () => {
    const variants: CacheKeyInput[] = [
      { ...base, providerKind: 'ollama' },
      { ...base, baseURL: 'http://127.0.0.1:9999/v1' },
      { ...base, model: 'gpt-4o' },
      { ...base, prompt: { kind: 'chat', messages: [{ role: 'system', content: 'hi' }] } },
      { ...base, prompt: { kind: 'prefix', prefix: 'hi' } },
      { ...base, sampling: { ...base.sampling, temperature: 0 } },
      { ...base, sampling: { ...base.sampling, maxTokens: 65 } },
      { ...base, sampling: { ...base.sampling, topP: 0.9 } },
      { ...base, sampling: { ...base.sampling, seed: 7 } },
      { ...base, sampling: { ...base.sampling, topLogprobs: 5 } },
      { ...base, index: 1 },
    ];
    const keys = new Set([cacheKey(base), ...variants.map(cacheKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });
});

describe('run summary', () => {
  it('type-7 quantiles match R', () => {
    // R: quantile(c(1,2,3,4,10), c(.5,.9,.99)) = 3, 7.6, 9.76
    const xs = Float64Array.from([1, 2, 3, 4, 10]);
    expect(quantile(xs, 0.5)).toBeCloseTo(3, 12);
    expect(quantile(xs, 0.9)).toBeCloseTo(7.6, 12);
    expect(quantile(xs, 0.99)).toBeCloseTo(9.76, 12);
  });

  it('counts ok, empty, missing, errors by kind, tokens, cost and latency per model', () => {
    const { store } = fresh();
    store.createRun({
      name: RUN,
      suite: suiteOf(3),
      models: ['fake:a', 'fake:b'] as ModelRef[],
      samples: 2,
      origin: 'run',
    });
    const samples: Sample[] = [];
    for (let p = 0; p < 3; p++)
      for (let i = 0; i < 2; i++)
        samples.push(ok('fake:a', `p${p}`, i, p === 0 && i === 0 ? '' : 'x', 10 * (p * 2 + i + 1)));
    samples.push(ok('fake:b', 'p0', 0, 'y'));
    samples.push({ ...ok('fake:b', 'p1', 0, ''), outcome: { status: 'error', kind: 'rate_limit', message: '429' } });
    store.writeBatch(samples);
    const summary = summarizeRun(store.loadRun(RUN));
    const a = summary.models.find((m) => m.model === 'fake:a')!;
    const b = summary.models.find((m) => m.model === 'fake:b')!;
    expect(a).toMatchObject({
      expected: 6,
      ok: 6,
      empty: 1,
      missing: 0,
      inputTokens: 18,
      outputTokens: 30,
      errors: {},
    });
    expect(a.costUsd).toBeCloseTo(0.006, 12);
    expect(a.latencyMs!.p50).toBeCloseTo(35, 12);
    expect(b).toMatchObject({ expected: 6, ok: 1, missing: 4, errors: { rate_limit: 1 } });
    expect(b.missingProbes).toEqual(['p0', 'p1', 'p2']);
  });
});
