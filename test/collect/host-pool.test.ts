// Host pools: several local Ollama servers behind one profile (`hosts:` or OLLAMA_HOST=a,b,c). Per-host concurrency,
// only hosts that list a model get its requests, a host that dies mid-run leaves the pool without losing a sample,
// one that fails for a while comes back, and the samples (and cache keys) do not depend on which host answered.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../../src/collect/collector.js';
import { prepareRun } from '../../src/collect/prepare.js';
import type { ModelRef, RunName } from '../../src/core/types.js';
import { createHostPool, poolHosts } from '../../src/providers/host-pool.js';
import { parseProfile } from '../../src/providers/profile.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import { openStore } from '../../src/store/sqlite.js';
import { startOllamaServer, type TestServer } from '../../src/testing/servers/index.js';
import { call, localProvider, sampling } from '../providers/helpers.js';
import { suiteOf, tempDir } from './fakes.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const generated = (s: TestServer) => s.requests.filter((r) => r.path === '/api/chat');

describe('host pool', () => {
  it('spreads a run over the hosts that list each model; a host dying mid-run loses nothing', async () => {
    const a = await startOllamaServer({ models: ['m1', 'm2'], latencyMs: 5 });
    const b = await startOllamaServer({ models: ['m1'], latencyMs: 5 });
    const c = await startOllamaServer({ models: ['m1', 'm2'], latencyMs: 5 });
    cleanup.push(
      () => a.close(),
      () => b.close(),
    );
    const pool = localProvider('ollama', a.url, { hosts: [a.url, b.url, c.url], rateLimit: { maxConcurrency: 2 } });
    expect(pool.baseURL).toBe('pool:local');
    expect(pool.rateLimit?.maxConcurrency).toBe(6);
    const dir = tempDir();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const store = openStore(path.join(dir, 'results'));
    cleanup.push(() => store.close());
    const spec = {
      name: 'p' as RunName,
      suite: suiteOf(40),
      models: ['local:m1', 'local:m2'] as ModelRef[],
      samples: 1,
    };
    prepareRun(store, spec);
    let closed = false;
    let done = 0;
    const result = await collect(
      {
        store,
        spec,
        providerFor: () => pool,
        concurrency: (p) => p.rateLimit!.maxConcurrency,
      },
      (e) => {
        // Host c dies a quarter of the way through.
        if (!closed && e.type === 'sample' && ++done >= 20) {
          closed = true;
          void c.close();
        }
      },
    );
    expect(closed).toBe(true);
    expect(result.ok).toBe(80);
    expect(result.errors).toBe(0);
    // Only hosts that list m2 got m2; every host took part; none over its concurrency.
    const modelOf = (r: { body: unknown }) => (r.body as { model: string }).model;
    expect(generated(b).some((r) => modelOf(r) === 'm2')).toBe(false);
    for (const s of [a, b, c]) expect(generated(s).length).toBeGreaterThan(0);
    for (const s of [a, b, c]) expect(s.maxInFlight).toBeLessThanOrEqual(2);
    // The answers do not depend on the host: same text as one host alone gives, and a second run over another
    // pool of the same profile is served from the cache.
    const sample = store.samplesOf('p' as RunName).find((s) => s.model === 'local:m2' && s.probe === 'p3')!;
    const alone = await localProvider('ollama', a.url).complete(
      { kind: 'chat', model: 'm2', messages: [{ role: 'user', content: 'question 3' }], sampling: sampling() },
      call(),
    );
    expect(sample.outcome.status === 'ok' && sample.outcome.text).toBe(alone.text);
    const other = localProvider('ollama', b.url, { hosts: [b.url, a.url] });
    const spec2 = { ...spec, name: 'p2' as RunName };
    prepareRun(store, spec2);
    const again = await collect({ store, spec: spec2, providerFor: () => other });
    expect(again.cached).toBe(80);
    expect(again.requested).toBe(0);
  });

  it('a failing host leaves the pool and is tried again later', async () => {
    // b drops its first three connections, then answers.
    const a = await startOllamaServer({ models: ['m1'], latencyMs: 20 });
    const b = await startOllamaServer({
      models: ['m1'],
      faults: (r) => (r.path === '/api/chat' && generated(b).length <= 3 ? { kind: 'drop' } : undefined),
    });
    cleanup.push(
      () => a.close(),
      () => b.close(),
    );
    let t = 0;
    const profile = (url: string) =>
      parseProfile({ name: 'h', kind: 'ollama', baseURL: url, rateLimit: { maxConcurrency: 1 } }, 'h.yaml');
    const registry = createProviderRegistry();
    const member = (url: string) => ({
      url,
      provider: registry.resolveProvider('h', { profiles: new Map([['h', profile(url)]]), env: {} }),
    });
    const pool = createHostPool('h', [member(a.url), member(b.url)], 1, { downMs: 100, now: () => t });
    const ask = (i: number) =>
      pool.complete(
        { kind: 'chat', model: 'm1', messages: [{ role: 'user', content: `q${i}` }], sampling: sampling() },
        call(),
      );
    // Two at once: one lands on b, which drops it; it goes to a at once. b is out.
    const first = await Promise.all([ask(0), ask(1)]);
    expect(first.map((c) => c.text)).toEqual(['m1 says: q0', 'm1 says: q1']);
    const bAfterFailure = generated(b).length;
    await Promise.all([ask(2), ask(3)]);
    expect(generated(b).length).toBe(bAfterFailure); // still out
    t += 1000; // its time out is over: tried again, fails again (drops), then comes back for good
    for (let i = 4; i < 12; i++) {
      await Promise.all([ask(i), ask(i + 100)]);
      t += 1000;
    }
    expect(generated(b).filter((r) => r.fault === undefined).length).toBeGreaterThan(0);
  });

  it('OLLAMA_HOST=a,b,c lists a pool; one host is no pool', () => {
    expect(poolHosts(undefined, 'gpu1:11434, gpu2:11434')).toEqual(['http://gpu1:11434', 'http://gpu2:11434']);
    expect(poolHosts(undefined, 'http://gpu1:11434')).toBeUndefined();
    expect(poolHosts(['http://x:1', 'http://y:2'], undefined)).toEqual(['http://x:1', 'http://y:2']);
  });
});
