// Provider adapters against our local servers: per-request overhead of each SDK path (server answers at once),
// and throughput at a fixed 50 ms server latency with concurrent requests. Prints figures; asserts nothing.
import type { Benchmark } from './index.js';
import { parseProfile } from '../providers/profile.js';
import { providerRegistry } from '../commands/providers-setup.js';
import type { Provider } from '../providers/provider.js';
import {
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type ServerOptions,
  type TestServer,
} from '../testing/servers/index.js';

const starts = { openai: startOpenAIServer, anthropic: startAnthropicServer, ollama: startOllamaServer } as const;
type Kind = keyof typeof starts;

function providerFor(kind: Kind, url: string): Provider {
  const profile = parseProfile({ name: 'bench', kind, baseURL: url }, 'bench');
  return providerRegistry.resolveProvider('bench', { profiles: new Map([['bench', profile]]), env: {} });
}

async function drive(
  provider: Provider,
  requests: number,
  concurrency: number,
): Promise<{ wallMs: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      const t = performance.now();
      await provider.complete(
        {
          kind: 'chat',
          model: 'test-model',
          messages: [{ role: 'user', content: `probe number ${i} about phylogenies` }],
          sampling: { temperature: 0.7, maxTokens: 32 },
        },
        { signal: new AbortController().signal, timeoutMs: 10_000 },
      );
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { wallMs: performance.now() - t0, latencies };
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function measure(kind: Kind, options: ServerOptions, requests: number, concurrency: number): Promise<string> {
  const server: TestServer = await starts[kind](options);
  try {
    const provider = providerFor(kind, server.url);
    await drive(provider, 20, 1); // warm up the SDK and the connection pool
    const { wallMs, latencies } = await drive(provider, requests, concurrency);
    const rate = (requests / (wallMs / 1000)).toFixed(0).padStart(6);
    const p50 = quantile(latencies, 0.5).toFixed(2).padStart(7);
    const p95 = quantile(latencies, 0.95).toFixed(2).padStart(7);
    return (
      `${kind.padEnd(10)} ${String(requests).padStart(5)} req  c=${String(concurrency).padEnd(3)} ${rate} req/s  ` +
      `p50 ${p50} ms  p95 ${p95} ms  max in flight ${server.maxInFlight}`
    );
  } finally {
    await server.close();
  }
}

export const benchmark: Benchmark = {
  name: 'providers',
  async run() {
    process.stdout.write('per-request overhead (server answers at once, one at a time):\n');
    for (const kind of Object.keys(starts) as Kind[]) process.stdout.write(`${await measure(kind, {}, 300, 1)}\n`);
    process.stdout.write('throughput at 50 ms server latency, 16 concurrent:\n');
    for (const kind of Object.keys(starts) as Kind[])
      process.stdout.write(`${await measure(kind, { latencyMs: 50 }, 320, 16)}\n`);
  },
};
