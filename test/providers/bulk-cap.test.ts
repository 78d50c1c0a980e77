// Model listings and embedding responses have a byte cap of their own (profile maxBulkBytes, issue 15): over it they
// are a ResponseTooLargeError, one line naming the provider, the endpoint and the limit, never a cut JSON and never
// retried; under it they work as before. The 100 MB cases through the CLI, with peak RSS, are in
// test/faults/bulk-cap.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { embedTexts } from '../../src/collect/embeddings.js';
import { InputError } from '../../src/core/errors.js';
import { DEFAULT_MAX_BULK_BYTES, MAX_LISTING_PAGES, ResponseTooLargeError } from '../../src/providers/bulk-cap.js';
import type { Provider } from '../../src/providers/provider.js';
import type { EmbeddingCache, EmbeddingEntry } from '../../src/store/api.js';
import {
  type RecordedRequest,
  type ServerOptions,
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type TestServer,
} from '../../src/testing/servers/index.js';
import { call, localProvider, rejection } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const CAP = 4096;
const LISTING_PATHS = ['/v1/models', '/api/tags'];
const EMBED_PATHS = ['/v1/embeddings', '/api/embed'];
const hugeOn =
  (paths: readonly string[], bytes: number) =>
  (r: RecordedRequest): { kind: 'huge'; bytes: number } | undefined =>
    paths.includes(r.path) ? { kind: 'huge', bytes } : undefined;

type Start = (o: ServerOptions) => Promise<TestServer>;
const LISTING_WIRES = [
  ['openai', startOpenAIServer],
  ['anthropic', startAnthropicServer],
  ['ollama', startOllamaServer],
] as const satisfies readonly (readonly [string, Start])[];
const EMBED_WIRES = [
  ['openai', startOpenAIServer],
  ['ollama', startOllamaServer],
] as const satisfies readonly (readonly [string, Start])[];

/** The one-line refusal every wire gives. */
function expectRefusal(err: unknown, what: string, label: string, limit: string): void {
  expect(err).toBeInstanceOf(ResponseTooLargeError);
  const e = err as ResponseTooLargeError;
  expect(e).toMatchObject({ kind: 'bad_response', retryable: false, what });
  expect(e.message).toMatch(new RegExp(`^${label}: the ${what} from http://127\\.0\\.0\\.1:\\d+\\S* is larger than `));
  expect(e.message).toContain(`${limit} (the profile's maxBulkBytes); not read further`);
  expect(e.message).not.toContain('\n');
  expect(e.message).not.toContain('xxxx');
}

describe.each(LISTING_WIRES)('%s model listing', (kind, start) => {
  it('over maxBulkBytes: a ResponseTooLargeError naming the provider and the limit, one request', async () => {
    server = await start({ faults: hugeOn(LISTING_PATHS, 1_000_000) });
    const provider = localProvider(kind, server.url, { maxBulkBytes: CAP });
    expectRefusal(await rejection(provider.listModels(call(10_000))), 'model listing', 'local', '4096 bytes');
    expect(server.requests).toHaveLength(1);
  });

  it('the default cap is 16 MiB: a 20 MB listing is refused', async () => {
    expect(DEFAULT_MAX_BULK_BYTES).toBe(16 * 1024 * 1024);
    server = await start({ faults: hugeOn(LISTING_PATHS, 20_000_000) });
    const provider = localProvider(kind, server.url);
    expectRefusal(await rejection(provider.listModels(call(20_000))), 'model listing', 'local', '16 MiB');
  });

  it('a listing under the cap is read whole', async () => {
    server = await start({ models: ['b-model', 'a-model'] });
    const provider = localProvider(kind, server.url, { maxBulkBytes: CAP });
    expect(await provider.listModels(call())).toEqual(['a-model', 'b-model']);
  });

  it('the answer cap does not apply to a listing', async () => {
    const models = Array.from({ length: 200 }, (_, i) => `model-${String(i).padStart(3, '0')}`);
    server = await start({ models });
    const provider = localProvider(kind, server.url, { maxAnswerBytes: 1024 });
    expect(await provider.listModels(call())).toEqual(models);
  });
});

describe('Anthropic listing pages', () => {
  const ids = (n: number, width = 8) => Array.from({ length: n }, (_, i) => `m-${String(i).padStart(width, '0')}`);

  it('a listing of several pages is read whole, a page per request', async () => {
    const models = ids(250);
    server = await startAnthropicServer({ models });
    const provider = localProvider('anthropic', server.url, { maxBulkBytes: 64 * 1024 });
    expect(await provider.listModels(call())).toEqual(models);
    expect(server.requests.map((r) => r.query)).toEqual([
      'limit=100',
      `limit=100&after_id=${models[99]}`,
      `limit=100&after_id=${models[199]}`,
    ]);
  });

  it('the ids of all pages together are under maxBulkBytes too (each page alone is under it)', async () => {
    // 400 ids of 100 characters: ~27 KB a page of 100, 40,000 characters in all, over a 30,000-byte cap.
    server = await startAnthropicServer({ models: ids(400, 98) });
    const provider = localProvider('anthropic', server.url, { maxBulkBytes: 30_000 });
    expectRefusal(await rejection(provider.listModels(call())), 'model listing', 'local', '30000 bytes');
    expect(server.requests).toHaveLength(4);
  });

  it(`pages that never end: refused after ${MAX_LISTING_PAGES} pages`, { timeout: 60_000 }, async () => {
    server = await startAnthropicServer({ models: ids(MAX_LISTING_PAGES * 100 + 1) });
    const provider = localProvider('anthropic', server.url);
    const err = await rejection(provider.listModels(call(30_000)));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err.message).toMatch(/^local: the model listing from \S+ has more than 1000 pages; not read further$/);
    expect(server.requests).toHaveLength(MAX_LISTING_PAGES);
  });
});

describe('Ollama weights digest (describeModel reads /api/tags)', () => {
  it('a listing over the cap is the same refusal; under it the digest is read', async () => {
    server = await startOllamaServer({ models: ['m1'], faults: hugeOn(LISTING_PATHS, 1_000_000) });
    const capped = localProvider('ollama', server.url, { maxBulkBytes: CAP });
    expectRefusal(await rejection(capped.describeModel!('m1', call(10_000))), 'model listing', 'local', '4096 bytes');
    await server.close();
    server = await startOllamaServer({ models: ['m1'] });
    const provider = localProvider('ollama', server.url, { maxBulkBytes: CAP });
    expect((await provider.describeModel!('m1', call())).fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

/** The EmbeddingCache contract over a Map. */
class MapCache implements EmbeddingCache {
  readonly map = new Map<string, Float64Array>();
  getEmbeddings(keys: readonly string[]): Map<string, Float64Array> {
    return new Map(keys.filter((k) => this.map.has(k)).map((k) => [k, this.map.get(k)!]));
  }
  putEmbeddings(entries: readonly EmbeddingEntry[]): void {
    for (const e of entries) this.map.set(e.key, e.vector);
  }
}

describe.each(EMBED_WIRES)('%s embeddings response', (kind, start) => {
  const embed = (p: Provider, timeoutMs = 10_000) => p.embed!('e', ['one text', 'another'], call(timeoutMs));

  it('over maxBulkBytes: a ResponseTooLargeError naming the provider, model and limit', async () => {
    server = await start({ models: ['e'], faults: hugeOn(EMBED_PATHS, 1_000_000) });
    const provider = localProvider(kind, server.url, { maxBulkBytes: CAP });
    expectRefusal(await rejection(embed(provider)), 'embeddings response', 'local:e', '4096 bytes');
  });

  it('the default cap: a 20 MB vector is refused at 16 MiB', async () => {
    server = await start({ models: ['e'], faults: hugeOn(EMBED_PATHS, 20_000_000) });
    const provider = localProvider(kind, server.url);
    expectRefusal(await rejection(embed(provider, 20_000)), 'embeddings response', 'local:e', '16 MiB');
  });

  it('under the cap (and over the answer cap) the vectors are read whole', async () => {
    server = await start({ models: ['e'], embeddingDim: 256 });
    // 2 x 256 floats as JSON are ~10 KB: over this answer cap, under the bulk cap.
    const provider = localProvider(kind, server.url, { maxAnswerBytes: 1024, maxBulkBytes: 64 * 1024 });
    const vectors = await embed(provider);
    expect(vectors.map((v) => v.length)).toEqual([256, 256]);
  });

  it('embedTexts: one InputError line, no retry, nothing cached', async () => {
    server = await start({ models: ['e'], faults: hugeOn(EMBED_PATHS, 1_000_000) });
    const provider = localProvider(kind, server.url, { maxBulkBytes: CAP });
    const cache = new MapCache();
    const err = await rejection(embedTexts(provider, 'e', ['a', 'b', 'c'], cache, { timeoutMs: 10_000 }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(
      /^embeddings local:e: the embeddings response from http:\/\/127\.0\.0\.1:\d+\S* is larger than 4096 bytes/,
    );
    expect(err.message).not.toContain('\n');
    expect(server.requests.filter((r) => EMBED_PATHS.includes(r.path))).toHaveLength(1);
    expect(cache.map.size).toBe(0);
  });
});
