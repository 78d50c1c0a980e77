// Provider embeddings against the local OpenAI and Ollama servers (no network, dummy keys): one request per batch of
// distinct texts, cached, retried like collection, failures as one InputError line.
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/collect/clock.js';
import { embedTexts } from '../../src/collect/embeddings.js';
import { providerRegistry } from '../../src/commands/providers-setup.js';
import { InputError } from '../../src/core/errors.js';
import type { EmbeddingCache, EmbeddingEntry } from '../../src/store/api.js';
import { fakeEmbedding } from '../../src/testing/servers/common.js';
import {
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type TestServer,
} from '../../src/testing/servers/index.js';

const { resolveProvider } = providerRegistry;

const KEY = 'sk-dummy-embed-0123456789';
const DIM = 24;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The EmbeddingCache contract over a Map, counting writes. */
class MapCache implements EmbeddingCache {
  readonly map = new Map<string, Float64Array>();
  puts = 0;
  getEmbeddings(keys: readonly string[]): Map<string, Float64Array> {
    return new Map(keys.filter((k) => this.map.has(k)).map((k) => [k, this.map.get(k)!]));
  }
  putEmbeddings(entries: readonly EmbeddingEntry[]): void {
    this.puts++;
    for (const e of entries) this.map.set(e.key, e.vector);
  }
}

/** A clock that records the waits it is asked for and returns at once. */
function instantClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => 0, sleep: async (ms) => void waits.push(ms) };
}

const openai = (url: string, key = KEY) =>
  resolveProvider('openai', { env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: url } });
const embedRequests = (s: TestServer) =>
  s.requests.filter((r) => r.path === '/v1/embeddings' || r.path === '/api/embed');
const inputsOf = (s: TestServer) => embedRequests(s).map((r) => (r.body as { input: string[] }).input);
const f32 = (v: number[]) => [...Float64Array.from(Float32Array.from(v))];

describe('embedTexts', () => {
  it('requests each distinct non-blank text once, in batches of at most 64, and caches them all', async () => {
    server = await startOpenAIServer({ embeddingDim: DIM });
    const distinct = Array.from({ length: 150 }, (_, i) => `answer number ${i} about topic ${i % 7}`);
    const texts = [...distinct, ...distinct.slice(0, 40), '', '   \n'];
    const cache = new MapCache();
    const provider = openai(server.url);
    const r = await embedTexts(provider, 'text-embedding-3-small', texts, cache);
    const inputs = inputsOf(server);
    expect(inputs.length).toBe(Math.ceil(150 / 64));
    expect(Math.max(...inputs.map((i) => i.length))).toBeLessThanOrEqual(64);
    expect(inputs.flat().sort()).toEqual([...distinct].sort());
    expect(r).toMatchObject({ texts: 150, cached: 0, requests: inputs.length });
    expect(cache.map.size).toBe(150);
    for (const t of distinct) expect([...r.vectors.get(t)!]).toEqual(f32(fakeEmbedding(t, DIM)));
    expect(r.vectors.has('')).toBe(false);

    // Second run over the same cache: no request at all, the same vectors.
    const before = server.requests.length;
    const again = await embedTexts(provider, 'text-embedding-3-small', texts, cache);
    expect(server.requests.length).toBe(before);
    expect(again).toMatchObject({ texts: 150, cached: 150, requests: 0 });
    for (const t of distinct) expect([...again.vectors.get(t)!]).toEqual([...r.vectors.get(t)!]);

    // Without a way to request (no key), the cache alone serves; a text not cached fails before any request.
    const noKey = new InputError('no API key');
    await expect(
      embedTexts(provider, 'text-embedding-3-small', distinct, cache, { cannotRequest: noKey }),
    ).resolves.toMatchObject({ cached: 150 });
    await expect(
      embedTexts(provider, 'text-embedding-3-small', [...distinct, 'new text'], cache, { cannotRequest: noKey }),
    ).rejects.toBe(noKey);
    expect(server.requests.length).toBe(before);

    // Another model is another key.
    await embedTexts(provider, 'text-embedding-3-large', distinct.slice(0, 3), cache);
    expect(server.requests.length).toBe(before + 1);
  });

  it('retries rate limits and server errors with the collection backoff, honouring Retry-After', async () => {
    server = await startOpenAIServer({
      embeddingDim: DIM,
      faults: [{ kind: '429', retryAfterMs: 700 }, { kind: '500' }],
    });
    const clock = instantClock();
    const r = await embedTexts(openai(server.url), 'emb', ['one text', 'another text'], new MapCache(), { clock });
    expect(r.requests).toBe(3);
    expect(clock.waits).toHaveLength(2);
    expect(clock.waits[0]).toBeGreaterThanOrEqual(700);
    expect([...r.vectors.get('one text')!]).toEqual(f32(fakeEmbedding('one text', DIM)));
  });

  it('gives up on a refused key with one InputError line that never shows the key, and stops further batches', async () => {
    server = await startOpenAIServer({ apiKey: 'sk-the-right-key-000000' });
    const wrong = 'sk-wrong-key-abcdef123456';
    const texts = Array.from({ length: 10 }, (_, i) => `text ${i}`);
    const cache = new MapCache();
    const err = await embedTexts(openai(server.url, wrong), 'emb', texts, cache, {
      batchSize: 2,
      concurrency: 1,
      clock: instantClock(),
      secrets: [wrong],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    const message = (err as Error).message;
    expect(message).toMatch(/^embeddings openai:emb: auth: .*check the API key/);
    expect(message).not.toContain(wrong);
    expect(message).not.toContain('\n');
    expect(embedRequests(server)).toHaveLength(1);
    expect(cache.puts).toBe(0);
  });

  it('embeds through Ollama /api/embed and names the model to pull when the server lacks it', async () => {
    server = await startOllamaServer({ models: ['nomic-embed-text'], embeddingDim: DIM });
    const provider = resolveProvider('ollama', { env: { OLLAMA_HOST: server.url } });
    const r = await embedTexts(provider, 'nomic-embed-text', ['alpha beta', 'gamma delta'], new MapCache());
    expect(inputsOf(server)).toEqual([['alpha beta', 'gamma delta']]);
    expect([...r.vectors.get('gamma delta')!]).toEqual(f32(fakeEmbedding('gamma delta', DIM)));
    const err = await embedTexts(provider, 'no-such-model', ['x'], new MapCache(), { clock: instantClock() }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/not found.*ollama pull no-such-model/);
  });

  it('refuses a provider without an embeddings endpoint before any request', async () => {
    server = await startAnthropicServer();
    const provider = resolveProvider('anthropic', { env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url } });
    await expect(embedTexts(provider, 'claude', ['x'], new MapCache())).rejects.toThrow(/has no embeddings endpoint/);
    expect(server.requests).toHaveLength(0);
  });
});
