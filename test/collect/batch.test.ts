// `--batch` collections through the SDKs against our batch wire servers: every cell answered once, errored requests
// stored as errors, batch prices, expiry and cancel resubmit only what was not run, and a batch whose submit
// reached the vendor but was never recorded (a kill in between) is found again instead of resubmitted.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import { launchCollection } from '../../src/collect/launch.js';
import { prepareRun } from '../../src/collect/prepare.js';
import { planRun } from '../../src/collect/plan.js';
import { chunkForBatches, completionRequest } from '../../src/collect/batch/batch-plan.js';
import type { ModelRef, RunName } from '../../src/core/types.js';
import type { Provider } from '../../src/providers/provider.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { startAnthropicBatchServer } from '../../src/testing/servers/anthropic-batch.js';
import type { BatchServerOptions, BatchTestServer } from '../../src/testing/servers/batch-common.js';
import { startOpenAIBatchServer } from '../../src/testing/servers/openai-batch.js';
import { localProvider } from '../providers/helpers.js';
import { suiteOf, tempDir } from './fakes.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const VENDORS = [
  { kind: 'openai', start: startOpenAIBatchServer },
  { kind: 'anthropic', start: startAnthropicBatchServer },
] as const;
const MODELS = ['local:test-model', 'local:other-model'] as ModelRef[];
const PRICES = { '*': { input: 2, output: 4 } };

describe.each(VENDORS)('$kind --batch', ({ kind, start }) => {
  async function setup(options: BatchServerOptions) {
    const server: BatchTestServer = await start({ models: ['test-model', 'other-model'], ...options });
    cleanup.push(() => server.close());
    const provider = localProvider(kind, server.url, { prices: PRICES });
    const dir = tempDir();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const stores: SqliteStore[] = [];
    cleanup.push(() => {
      for (const s of stores) s.close();
    });
    const open = () => {
      const s = openStore(path.join(dir, 'results'));
      stores.push(s);
      return s;
    };
    const launch = (events: RunEvent[] = [], maxRequests = 4, name = 'b', fresh = false) =>
      launchCollection({
        store: open,
        name: name as RunName,
        fresh,
        suite: suiteOf(3),
        samples: 2,
        models: MODELS,
        providerFor: () => provider,
        env: {},
        batch: { pollMs: 1, maxRequests },
        listeners: [(e) => events.push(e)],
      });
    return { server, provider, open, launch };
  }

  it('answers every cell once, stores errored requests as errors, bills at the batch price', async () => {
    const { server, launch } = await setup({
      errorFor: (id, model) => (id === 'r1' && model === 'other-model' ? { status: 400, message: 'no' } : undefined),
    });
    const events: RunEvent[] = [];
    const { store, collection } = launch(events);
    const result = await collection.done;
    const samples = store.samplesOf('b' as RunName);
    expect(samples).toHaveLength(12);
    expect(server.submittedRequests).toBe(12); // 3 batches of at most 4, nothing twice
    expect(server.batches).toHaveLength(3);
    const errors = samples.filter((s) => s.outcome.status === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((s) => s.outcome.status === 'error' && s.outcome.kind === 'bad_request')).toBe(true);
    expect(result.ok + result.errors).toBe(12);
    // Batch price: half of (input x 2 + output x 4) per million tokens.
    const full = samples.reduce(
      (sum, s) =>
        sum + (s.outcome.status === 'ok' ? s.outcome.usage.inputTokens * 2 + s.outcome.usage.outputTokens * 4 : 0),
      0,
    );
    expect(result.costUsd).toBeCloseTo(full / 2e6, 12);
    const batches = store.batches().ofRun('b');
    expect(batches.every((b) => b.landed && b.state === 'completed')).toBe(true);
    const states = events.filter((e) => e.type === 'batch').map((e) => (e.type === 'batch' ? e.state : ''));
    expect(states).toContain('in_progress');
    expect(states).toContain('completed');
  });

  it('--fresh asks the vendor again for what the cache already holds; without it the cache answers', async () => {
    const { server, launch } = await setup({});
    await launch().collection.done;
    expect(server.submittedRequests).toBe(12);
    const cachedRun = await launch([], 4, 'from-cache').collection.done;
    expect(cachedRun.cached).toBe(12);
    expect(server.submittedRequests).toBe(12);
    const freshRun = await launch([], 4, 'fresh', true).collection.done;
    expect(freshRun.cached).toBe(0);
    expect(server.submittedRequests).toBe(24);
  });

  it('an expired batch lands its answers; only the requests it did not run are submitted again', async () => {
    const { server, launch } = await setup({ expire: (i) => i === 0 });
    const { store, collection } = launch([], 4);
    const result = await collection.done;
    expect(result.ok).toBe(12);
    expect(store.samplesOf('b' as RunName).filter((s) => s.outcome.status === 'ok')).toHaveLength(12);
    // Batch 0 ran 2 of its 4; the other 2 went into a new batch.
    expect(server.submittedRequests).toBe(12 + 2);
    const first = [...server.batches[0]!.requests.keys()];
    const again = server.batches.slice(3).flatMap((b) => [...b.requests.values()]);
    expect(again).toHaveLength(2);
    const asked0 = first.slice(2).map((id) => JSON.stringify(server.batches[0]!.requests.get(id)));
    expect(again.map((body) => JSON.stringify(body)).sort()).toEqual(asked0.sort());
  });

  it('a batch cancelled at the vendor lands what it ran and resubmits the rest', async () => {
    const { server, provider, launch } = await setup({ pollsToComplete: 3 });
    const events: RunEvent[] = [];
    let cancelled = false;
    const { collection } = launch(events, 12);
    collection.on((e) => {
      if (!cancelled && e.type === 'batch' && e.state === 'in_progress') {
        cancelled = true;
        void provider.batch!.cancel(e.batch, { signal: new AbortController().signal, timeoutMs: 5000 });
      }
    });
    const result = await collection.done;
    expect(cancelled).toBe(true);
    expect(result.ok).toBe(12);
    expect(server.batches[0]!.state).toBe('cancelled');
    expect(server.submittedRequests).toBe(12 + 6); // half of the 12 ran before the cancel took effect
  });

  it('a batch the vendor took but the store never recorded is found and polled, not submitted again', async () => {
    const { server, provider, open, launch } = await setup({});
    // What a process killed between the vendor's answer and the store's update leaves: a `submitting` row, and
    // the vendor holding the batch.
    const store = open();
    const spec = { name: 'b' as RunName, suite: suiteOf(3), models: MODELS, samples: 2 };
    prepareRun(store, spec);
    const plan = planRun(spec, new Map());
    const [chunk] = chunkForBatches(
      plan,
      () => 'local',
      () => 12,
      new Set(),
    );
    const row = store.batches().create('b', 'local', 'phylo-killed', chunk!.requests);
    const requests = chunk!.items.map((item, i) => ({
      customId: chunk!.requests[i]!.customId,
      request: completionRequest(item, item.model.split(':')[1]!),
    }));
    await provider.batch!.submit(requests, 'phylo-killed', { signal: new AbortController().signal, timeoutMs: 5000 });
    expect(store.batches().get(row.id).vendorId).toBeUndefined();
    const { store: s2, collection } = launch([], 12);
    const result = await collection.done;
    expect(result.ok).toBe(12);
    expect(server.submittedRequests).toBe(12);
    expect(server.batches).toHaveLength(1);
    expect(s2.batches().get(row.id).vendorId).toBe(server.batches[0]!.id);
  });
});

describe('--batch input checks', () => {
  it('a model whose provider has no batch API is refused before anything is stored', () => {
    const dir = tempDir();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const ollama: Provider = localProvider('ollama', 'http://127.0.0.1:9');
    expect(() =>
      launchCollection({
        store: () => openStore(path.join(dir, 'results')),
        name: 'x' as RunName,
        suite: suiteOf(1),
        models: ['local:m'] as ModelRef[],
        providerFor: () => ollama,
        env: {},
        batch: {},
      }),
    ).toThrow(/--batch: local:m has no batch API/);
    expect(fs.existsSync(path.join(dir, 'results'))).toBe(false);
  });
});
