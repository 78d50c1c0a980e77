// Benchmark 'collect': (1) scheduler throughput against a local OpenAI-protocol server with a fixed 50 ms latency,
// as a ratio to the ideal requests x latency / concurrency (target >= 0.95); (2) replaying a fully cached run of
// 10,000 samples (target < 2 s). Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { collect, planRun, prepareRun } from '../collect/index.js';
import { planItemCacheKey } from '../collect/plan.js';
import type { ModelRef, Probe, ProbeId, RunName, RunSpec, Suite } from '../core/types.js';
import { parseModelRef } from '../core/refs.js';
import { createOpenAIProvider } from '../providers/openai.js';
import { parseProfile } from '../providers/profile.js';
import type { Provider } from '../providers/provider.js';
import { openStore, type CacheWrite } from '../store/sqlite.js';
import type { Benchmark } from './index.js';

function suiteOf(n: number): Suite {
  const probes: Probe[] = [];
  for (let i = 0; i < n; i++)
    probes.push({
      id: `b${i}` as ProbeId,
      tags: [],
      prompt: { kind: 'chat', messages: [{ role: 'user', content: `benchmark question ${i}` }] },
    });
  return {
    name: 'bench',
    version: '1',
    description: 'benchmark',
    defaults: { sampling: { temperature: 0.7, maxTokens: 16 }, samples: 1 },
    probes,
  };
}

/**
 * The server runs in its own process, as a real one would: in-process, its JSON and HTTP work would be billed to
 * the scheduler being measured. Resolves with its base URL and a function that stops it and reports its peak load.
 */
async function startServerProcess(latencyMs: number): Promise<{ url: string; stop: () => Promise<string> }> {
  const servers = new URL('../testing/servers/index.js', import.meta.url).href;
  const code =
    `import { startOpenAIServer } from ${JSON.stringify(servers)};` +
    `const s = await startOpenAIServer({ models: ['bench'], latencyMs: ${latencyMs} });` +
    `process.stdout.write(s.url + '\\n');` +
    `process.stdin.resume();` +
    `process.stdin.on('end', async () => {` +
    ` process.stdout.write('max in flight ' + s.maxInFlight + '\\n'); await s.close(); process.exit(0); });`;
  // execArgv carries tsx's loader when the benchmark runs from src/.
  const child = spawn(process.execPath, [...process.execArgv, '--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new Error('benchmark server did not start');
  return {
    url: String(first.value).trim(),
    stop: async () => {
      child.stdin!.end();
      const last = await iterator.next();
      return last.done ? '' : String(last.value);
    },
  };
}

/** The same requests with bare fetch and no bookkeeping: what the machine and the server allow, for comparison. */
async function bareFetch(url: string, requests: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const i = next++;
      const res = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'bench',
          messages: [{ role: 'user', content: `baseline question ${i}` }],
          max_tokens: 16,
        }),
      });
      await res.json();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}

/** The provider adapter alone (the SDK over its transport), no scheduler, no store: the floor under the scheduler. */
async function adapterOnly(provider: Provider, requests: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const i = next++;
      await provider.complete(
        {
          kind: 'chat',
          model: 'bench',
          messages: [{ role: 'user', content: `adapter question ${i}` }],
          sampling: { temperature: 0.7, maxTokens: 16 },
        },
        { signal: new AbortController().signal, timeoutMs: 30_000 },
      );
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}

async function throughput(dir: string, requests: number, concurrency: number, latencyMs: number): Promise<void> {
  const server = await startServerProcess(latencyMs);
  const store = openStore(path.join(dir, 'throughput'));
  try {
    const profile = parseProfile(
      { name: 'bench', kind: 'openai', baseURL: server.url, rateLimit: { maxConcurrency: concurrency } },
      '(bench)',
    );
    const provider = createOpenAIProvider({ profile, env: {}, profilesDir: dir });
    const spec: RunSpec = {
      name: 'throughput' as RunName,
      suite: suiteOf(requests),
      models: ['bench:bench' as ModelRef],
      samples: 1,
    };
    prepareRun(store, spec);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await collect({
      store,
      spec,
      providerFor: () => provider,
      concurrency: () => concurrency,
      timeoutMs: 30_000,
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const ideal = (requests * latencyMs) / concurrency;
    const baselineMs = await bareFetch(server.url, requests, concurrency);
    const adapterMs = await adapterOnly(provider, requests, concurrency);
    const peak = await server.stop();
    process.stdout.write(
      `throughput: ${result.requested} requests (${result.ok} ok, ${result.errors} errors) ` +
        `at concurrency ${concurrency}, ${latencyMs} ms latency: ` +
        `${ms.toFixed(0)} ms, ideal ${ideal.toFixed(0)} ms, ratio ${(ideal / ms).toFixed(3)} (target >= 0.95); ` +
        `${((1000 * result.requested) / ms).toFixed(0)} req/s; ` +
        `client CPU ${((cpu.user + cpu.system) / 1000 / result.requested).toFixed(2)} ms per request; ` +
        `server ${peak}; ` +
        `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores\n` +
        '  baseline: bare fetch, same server and concurrency (no SDK, no scheduler, no store): ' +
        `${baselineMs.toFixed(0)} ms, ratio ${(ideal / baselineMs).toFixed(3)}; ` +
        `the scheduler reaches ${((100 * baselineMs) / ms).toFixed(0)}% of what this machine allows right now\n` +
        '  adapter alone: the OpenAI SDK over its keep-alive transport, same server and concurrency ' +
        `(no scheduler, no store): ${adapterMs.toFixed(0)} ms, ratio ${(ideal / adapterMs).toFixed(3)}\n` +
        '  (both comparisons run after the scheduler, in a warmed-up process with open connections; ' +
        "the scheduler's figure includes the warm-up)\n",
    );
  } finally {
    store.close();
  }
}

async function cachedReplay(dir: string, samples: number): Promise<void> {
  const store = openStore(path.join(dir, 'replay'));
  try {
    // An in-process provider that must never be called: every sample is in the cache.
    const provider: Provider = {
      name: 'cached',
      kind: 'openai',
      baseURL: 'http://127.0.0.1:1/v1',
      capabilities: {
        chat: true,
        rawCompletion: true,
        logprobs: true,
        seed: true,
        modelListing: false,
        embeddings: false,
      },
      temperatureRule: () => ({ kind: 'any', max: 2 }),
      complete: () => Promise.reject(new Error('a cached replay made a request')),
      listModels: async () => [],
      price: () => ({ inputPerMTok: 0, outputPerMTok: 0 }),
    };
    const models = ['cached:a', 'cached:b'] as ModelRef[];
    const perModelProbe = 2;
    const suite = suiteOf(samples / (models.length * perModelProbe));
    const spec: RunSpec = { name: 'replay' as RunName, suite, models, samples: perModelProbe };
    // Fill the cache as a previous run would have.
    const entries: CacheWrite[] = planRun(spec, new Map()).map((item) => ({
      key: planItemCacheKey(item, provider, parseModelRef(item.model).model),
      completion: {
        text: `cached answer to ${item.probe.id} #${item.index} `.repeat(8),
        finishReason: 'stop',
        usage: { inputTokens: 5, outputTokens: 40 },
        temperatureUsed: 0.7,
      },
    }));
    store.writeBatch([], entries);
    prepareRun(store, spec);
    const t0 = performance.now();
    const result = await collect({ store, spec, providerFor: () => provider, batchSize: 1000 });
    const ms = performance.now() - t0;
    process.stdout.write(
      `cached replay: ${result.cached} of ${samples} samples from the cache, ${result.requested} requests, ` +
        `${ms.toFixed(0)} ms (target < 2000 ms)\n`,
    );
  } finally {
    store.close();
  }
}

export const benchmark: Benchmark = {
  name: 'collect',
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-collect-'));
    try {
      await throughput(dir, 2000, 32, 50);
      await cachedReplay(dir, 10_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
