import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, prepareRun, startCollection, type CollectOptions } from '../../src/collect/index.js';
import type { RunEvent } from '../../src/core/events.js';
import { seededRng } from '../../src/core/random.js';
import type { ModelRef, RunSpec } from '../../src/core/types.js';
import { ProviderCallError, type Provider } from '../../src/providers/provider.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { answer, FakeClock, FakeProvider, specOf, suiteOf, tempDir } from './fakes.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function freshStore(): SqliteStore {
  const dir = tempDir();
  dirs.push(dir);
  const store = openStore(dir);
  stores.push(store);
  return store;
}

function options(
  store: SqliteStore,
  spec: RunSpec,
  provider: Provider,
  extra: Partial<CollectOptions> = {},
): CollectOptions {
  prepareRun(store, spec);
  return { store, spec, providerFor: () => provider, clock: new FakeClock(), rng: seededRng(1), flushMs: 5, ...extra };
}

/** Every (model, probe, index) of the run has exactly one row. */
function expectComplete(store: SqliteStore, spec: RunSpec): void {
  const samples = store.samplesOf(spec.name);
  const keys = new Set(samples.map((s) => `${s.model}|${s.probe}|${s.index}`));
  expect(keys.size).toBe(samples.length);
  expect(samples.length).toBe(spec.models.length * spec.suite.probes.length * spec.samples);
}

describe('collect', () => {
  it('answers every sample once and accounts tokens and cost', async () => {
    const store = freshStore();
    const spec = specOf('basic', suiteOf(5), ['fake:a', 'fake:b'], 3);
    const provider = new FakeProvider('fake');
    const result = await collect(options(store, spec, provider));
    expect(result.ok).toBe(30);
    expect(result.errors).toBe(0);
    expect(provider.calls.length).toBe(30);
    expectComplete(store, spec);
    const samples = store.samplesOf(spec.name, 'fake:a' as ModelRef);
    const s = samples.find((x) => x.probe === 'p2' && x.index === 1)!;
    expect(s.outcome.status).toBe('ok');
    if (s.outcome.status === 'ok') {
      expect(s.outcome.text).toBe('a says question 2');
      // price: 1 $/MTok in, 2 $/MTok out
      expect(s.costUsd).toBeCloseTo((10 * 1 + s.outcome.usage.outputTokens * 2) / 1e6, 12);
    }
    expect(store.getRun(spec.name).status).toBe('finished');
    // The sample index reaches the provider (replay needs it).
    expect(new Set(provider.calls.map((c) => c.index))).toEqual(new Set([0, 1, 2]));
  });

  it('honours retryAfterMs from a rate-limited provider, then stores the answer', async () => {
    const store = freshStore();
    const spec = specOf('retry', suiteOf(1), ['fake:a']);
    const provider = new FakeProvider('fake', (_call, n) => {
      if (n <= 2) throw new ProviderCallError('rate_limit', 'slow down', 4321, 429);
      return answer('finally');
    });
    const clock = new FakeClock();
    const events: RunEvent[] = [];
    const result = await collect(options(store, spec, provider, { clock, listeners: [(e) => events.push(e)] }), (e) =>
      events.push(e),
    );
    expect(result.ok).toBe(1);
    expect(clock.sleeps.length).toBe(2);
    for (const ms of clock.sleeps) expect(ms).toBeGreaterThanOrEqual(4321);
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => (e.type === 'retry' ? e.attempt : 0))).toEqual([1, 2]);
    const [sample] = store.samplesOf(spec.name);
    expect(sample!.attempts).toBe(3);
    expect(sample!.outcome.status === 'ok' && sample!.outcome.text).toBe('finally');
  });

  it('backs off exponentially with full jitter when the server gives no retry-after', async () => {
    const store = freshStore();
    const spec = specOf('jitter', suiteOf(1), ['fake:a']);
    const provider = new FakeProvider('fake', () => {
      throw new ProviderCallError('server', 'bad gateway', undefined, 502);
    });
    const clock = new FakeClock();
    const result = await collect(
      options(store, spec, provider, { clock, maxAttempts: 6, backoff: { baseMs: 100, capMs: 800 } }),
    );
    expect(result.errors).toBe(1);
    expect(provider.calls.length).toBe(6);
    expect(clock.sleeps.length).toBe(5);
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(Math.min(800, 100 * 2 ** i));
    });
    const [sample] = store.samplesOf(spec.name);
    expect(sample!.outcome.status).toBe('error');
    if (sample!.outcome.status === 'error') {
      expect(sample!.outcome.kind).toBe('server');
      expect(sample!.outcome.message).toContain('gave up after 6 attempts');
    }
    expect(sample!.attempts).toBe(6);
  });

  it('halves concurrency on 429 and grows it back to the ceiling', async () => {
    const store = freshStore();
    const spec = specOf('aimd', suiteOf(120), ['fake:a']);
    const provider = new FakeProvider('fake', (_call, n) => {
      if (n === 20) throw new ProviderCallError('rate_limit', 'too many requests', 0, 429);
      return answer('ok');
    });
    const limits: number[] = [];
    const result = await collect(
      options(store, spec, provider, {
        concurrency: () => 8,
        growAfter: 5,
        listeners: [],
      }),
      (e) => {
        if (e.type === 'concurrency') limits.push(e.limit);
      },
    );
    expect(result.ok).toBe(120);
    expect(provider.maxInFlight).toBeLessThanOrEqual(8);
    expect(limits[0]).toBe(4);
    // After the halving it only grows, one step at a time, up to the ceiling and never past it.
    for (let i = 1; i < limits.length; i++) expect(limits[i]).toBe(limits[i - 1]! + 1);
    expect(limits.at(-1)).toBe(8);
    expectComplete(store, spec);
  });

  it('halves only once for a burst of 429s sent before the halving', async () => {
    const store = freshStore();
    const spec = specOf('burst', suiteOf(40), ['fake:a']);
    // The first 8 requests all go out at once (ceiling 8) and all get 429.
    const provider = new FakeProvider('fake', (_call, n) => {
      if (n <= 8) throw new ProviderCallError('rate_limit', 'too many requests', 0, 429);
      return answer('ok');
    });
    const limits: number[] = [];
    await collect(options(store, spec, provider, { concurrency: () => 8, growAfter: 1000 }), (e) => {
      if (e.type === 'concurrency') limits.push(e.limit);
    });
    expect(limits).toEqual([4]);
  });

  it('stores permanent failures as errors and goes on; auth stops the model without hammering', async () => {
    const store = freshStore();
    const spec = specOf('fail', suiteOf(6), ['fake:good', 'fake:locked'], 2);
    const provider = new FakeProvider('fake', (call) => {
      if (call.model === 'locked') throw new ProviderCallError('auth', 'invalid api key', undefined, 401);
      if (call.prompt === 'question 3') throw new ProviderCallError('bad_request', 'content policy', undefined, 400);
      return answer('fine');
    });
    const events: RunEvent[] = [];
    const result = await collect(options(store, spec, provider, { concurrency: () => 1 }), (e) => events.push(e));
    expectComplete(store, spec);
    expect(provider.calls.filter((c) => c.model === 'locked').length).toBe(1);
    const locked = store.samplesOf(spec.name, 'fake:locked' as ModelRef);
    expect(locked.every((s) => s.outcome.status === 'error' && s.outcome.kind === 'auth')).toBe(true);
    const good = store.samplesOf(spec.name, 'fake:good' as ModelRef);
    const bad = good.filter((s) => s.outcome.status === 'error');
    expect(bad.map((s) => s.probe)).toEqual(['p3', 'p3']);
    expect(bad.every((s) => s.outcome.status === 'error' && s.outcome.kind === 'bad_request' && s.attempts === 1)).toBe(
      true,
    );
    expect(result.ok).toBe(10);
    expect(result.errors).toBe(14);
    expect(result.errorsByKind).toEqual({ auth: 12, bad_request: 2 });
    expect(events.some((e) => e.type === 'warning' && e.message.includes('fake:locked'))).toBe(true);
    expect(store.getRun(spec.name).status).toBe('finished');
  });

  it('times out a request that never answers and stores a timeout error', async () => {
    const store = freshStore();
    const spec = specOf('timeout', suiteOf(2), ['fake:a']);
    const seen: AbortSignal[] = [];
    const provider = new FakeProvider('fake', (_call, _n, opts) => {
      seen.push(opts.signal);
      return new Promise(() => {}); // ignores its signal on purpose: the collector must still move on
    });
    const result = await collect(options(store, spec, provider, { timeoutMs: 20, maxAttempts: 2 }));
    expect(result.errorsByKind).toEqual({ timeout: 2 });
    expect(provider.calls.length).toBe(4);
    expect(seen.every((s) => s.aborted)).toBe(true);
  });

  it('re-running a finished run makes no request', async () => {
    const store = freshStore();
    const spec = specOf('again', suiteOf(4), ['fake:a', 'fake:b'], 2);
    const first = new FakeProvider('fake');
    await collect(options(store, spec, first));
    const second = new FakeProvider('fake');
    const result = await collect(options(store, spec, second));
    expect(second.calls.length).toBe(0);
    expect(result.planned).toBe(0);
    expectComplete(store, spec);
  });

  it('serves a new run from the response cache without a request, and never caches errors', async () => {
    const store = freshStore();
    const suite = suiteOf(3);
    const first = new FakeProvider('fake', (call) => {
      if (call.prompt === 'question 0') throw new ProviderCallError('bad_request', 'nope', undefined, 400);
      return answer(`fresh ${call.prompt}`);
    });
    await collect(options(store, specOf('one', suite, ['fake:a']), first));
    const second = new FakeProvider('fake', (call) => answer(`second ${call.prompt}`));
    const result = await collect(options(store, specOf('two', suite, ['fake:a']), second));
    expect(result.cached).toBe(2);
    expect(second.calls.map((c) => c.prompt)).toEqual(['question 0']);
    const two = store.samplesOf('two' as never);
    const texts = Object.fromEntries(two.map((s) => [s.probe, s.outcome.status === 'ok' ? s.outcome.text : 'error']));
    expect(texts).toEqual({ p0: 'second question 0', p1: 'fresh question 1', p2: 'fresh question 2' });
    // A different temperature is a different request: no cache hit.
    const third = new FakeProvider('fake');
    const hot = await collect(
      options(store, { ...specOf('three', suite, ['fake:a']), sampling: { temperature: 1.3 } }, third),
    );
    expect(hot.cached).toBe(0);
    expect(third.calls.length).toBe(3);
  });

  it('cancel keeps what was answered; the resumed run requests only what is missing', async () => {
    const store = freshStore();
    const spec = specOf('resume', suiteOf(30), ['fake:a', 'fake:b'], 2);
    let collection: ReturnType<typeof startCollection> | undefined;
    const first = new FakeProvider('fake', (call, n) => {
      if (n === 50) collection!.cancel();
      return answer(`${call.model}:${call.prompt}:${call.index}`);
    });
    collection = startCollection(options(store, spec, first, { concurrency: () => 4 }));
    const r1 = await collection.done;
    expect(r1.cancelled).toBe(true);
    expect(store.getRun(spec.name).status).toBe('interrupted');
    const kept = new Set(store.samplesOf(spec.name).map((s) => `${s.model.slice(5)}|${s.probe.slice(1)}|${s.index}`));
    expect(kept.size).toBeGreaterThan(0);
    expect(kept.size).toBeLessThan(120);

    const second = new FakeProvider('fake', (call) => answer(`${call.model}:${call.prompt}:${call.index}`));
    const r2 = await collect(options(store, spec, second));
    expect(r2.cancelled).toBe(false);
    expect(second.calls.length).toBe(120 - kept.size);
    for (const c of second.calls)
      expect(kept.has(`${c.model}|${c.prompt.slice('question '.length)}|${c.index}`)).toBe(false);
    expectComplete(store, spec);
    expect(store.getRun(spec.name).status).toBe('finished');
  });

  it('cancel aborts every request in flight, also one whose provider ignores its signal', async () => {
    const store = freshStore();
    const spec = specOf('cancel-in-flight', suiteOf(12), ['fake:a']);
    const signals: AbortSignal[] = [];
    let collection: ReturnType<typeof startCollection> | undefined;
    const provider = new FakeProvider('fake', (_call, n, opts) => {
      signals.push(opts.signal);
      // Odd calls honour the signal, even ones never settle: the collector must end both.
      const hang =
        n % 2 === 0
          ? new Promise<never>(() => {})
          : new Promise<never>((_, reject) =>
              opts.signal.addEventListener('abort', () => reject(opts.signal.reason), { once: true }),
            );
      if (n === 4) setImmediate(() => collection!.cancel());
      return hang;
    });
    collection = startCollection(options(store, spec, provider, { concurrency: () => 4, timeoutMs: 60_000 }));
    const result = await collection.done;
    expect(result.cancelled).toBe(true);
    expect(provider.calls).toHaveLength(4);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(signals.every((s) => (s.reason as Error).message === 'collection cancelled')).toBe(true);
    // Nothing was answered, and a cancelled request is not stored as a failure of the model.
    expect(result.ok + result.errors).toBe(0);
    expect(store.getRun(spec.name).status).toBe('interrupted');
  });

  it('pause holds new requests until resume', async () => {
    const store = freshStore();
    const spec = specOf('pause', suiteOf(10), ['fake:a']);
    const provider = new FakeProvider('fake');
    const events: string[] = [];
    const c = startCollection(options(store, spec, provider, { listeners: [(e) => events.push(e.type)] }));
    c.pause();
    expect(c.paused).toBe(true);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(provider.calls.length).toBe(0);
    c.resume();
    const result = await c.done;
    expect(result.ok).toBe(10);
    expect(events.indexOf('paused')).toBeLessThan(events.indexOf('resumed'));
  });

  it('resumes errors that may pass now, keeps permanent ones', async () => {
    const store = freshStore();
    const spec = specOf('heal', suiteOf(4), ['fake:a']);
    const first = new FakeProvider('fake', (call) => {
      if (call.prompt === 'question 1') throw new ProviderCallError('bad_request', 'no', undefined, 400);
      throw new ProviderCallError('server', 'down', undefined, 503);
    });
    await collect(options(store, spec, first, { maxAttempts: 1 }));
    const second = new FakeProvider('fake');
    await collect(options(store, spec, second));
    expect(second.calls.map((c) => c.prompt).sort()).toEqual(['question 0', 'question 2', 'question 3']);
    expectComplete(store, spec);
  });

  it('never stores a secret that a provider echoes in an error', async () => {
    const store = freshStore();
    const secret = ['sk', 'test-0123456789abcdefSECRET'].join('-');
    const spec = specOf('redact', suiteOf(1), ['fake:a']);
    const provider = new FakeProvider('fake', () => {
      throw new ProviderCallError('bad_request', `invalid request with key ${secret}`, undefined, 400);
    });
    await collect(options(store, spec, provider, { secrets: [secret] }));
    const [s] = store.samplesOf(spec.name);
    expect(s!.outcome.status === 'error' && s!.outcome.message).toContain('[redacted]');
    expect(JSON.stringify(s)).not.toContain(secret);
  });
});
