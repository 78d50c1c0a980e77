// Each answer stored once (issue 15): samples and cache rows point at one content-addressed text; identical answers
// share it, a replaced or deleted one leaves no orphan, and older databases migrate (6 -> 7) or read as they are.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Completion, ModelRef, ProbeId, RunName, Sample } from '../../src/core/types.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { DB_FILE, openStore, openStoreReadonly, type SqliteStore } from '../../src/store/sqlite.js';
import { startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { runInProcess } from '../collect/cli.js';
import { suiteOf, tempDir } from '../collect/fakes.js';
import { writeSuite } from '../faults/helpers.js';
import { downgradeStore } from './old-schema.js';
import { storeFixture } from './store-fixture.js';

const { fresh, track } = storeFixture();
const RUN = 'r' as RunName;

const completion = (text: string): Completion => ({
  text,
  finishReason: 'stop',
  usage: { inputTokens: 1, outputTokens: 1 },
  temperatureUsed: 0,
});

function sample(probe: string, index: number, text: string | undefined, run: RunName = RUN): Sample {
  return {
    run,
    model: 'm:a' as ModelRef,
    probe: probe as ProbeId,
    index,
    latencyMs: 1,
    attempts: 1,
    costUsd: 0,
    at: '2025-01-01T00:00:00.000Z',
    outcome:
      text === undefined ? { status: 'error', kind: 'server', message: 'boom' } : { status: 'ok', ...completion(text) },
  };
}

function withRun(store: SqliteStore, name: RunName = RUN): void {
  store.createRun({ name, suite: suiteOf(3), models: ['m:a' as ModelRef], samples: 4, origin: 'test' });
}

/** Rows of a table, read on a connection of its own. */
function count(dir: string, table: string): number {
  const raw = new Database(path.join(dir, DB_FILE), { readonly: true });
  try {
    return (raw.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    raw.close();
  }
}

const texts = (samples: readonly Sample[]) =>
  samples.map((s) => `${s.probe}/${s.index}=${s.outcome.status === 'ok' ? s.outcome.text : `!${s.outcome.kind}`}`);

describe('answers table', () => {
  it('identical answers of samples and cache entries share one row; errors have none', () => {
    const { dir, store } = fresh();
    withRun(store);
    const same = 'the same answer '.repeat(100);
    const samples = [0, 1, 2, 3].map((i) => sample('p1', i, same));
    const cache = samples.map((_, i) => ({ key: `k${i}`, completion: completion(same) }));
    store.writeBatch([...samples, sample('p2', 0, 'another'), sample('p3', 0, undefined)], cache);
    expect(count(dir, 'answers')).toBe(2);
    expect(texts(store.samplesOf(RUN))).toEqual([
      ...[0, 1, 2, 3].map((i) => `p1/${i}=${same}`),
      'p2/0=another',
      'p3/0=!server',
    ]);
    expect(store.cacheEntry('k2')?.completion).toEqual(completion(same));
    // The cache row holds the rest of the Completion, not its text.
    const raw = new Database(path.join(dir, DB_FILE), { readonly: true });
    expect(
      (raw.prepare("SELECT completion FROM cache WHERE key = 'k0'").get() as { completion: string }).completion,
    ).not.toContain('the same answer');
    raw.close();
  });

  it('an empty answer is an answer (ok with text ""), not an error', () => {
    const { store } = fresh();
    withRun(store);
    store.writeBatch([sample('p1', 0, '')], [{ key: 'e', completion: completion('') }]);
    expect(store.samplesOf(RUN)[0]!.outcome).toMatchObject({ status: 'ok', text: '' });
    expect(store.cacheGet('e')?.text).toBe('');
  });

  it('a replaced or deleted answer leaves no orphan; one still pointed at stays', () => {
    const { dir, store } = fresh();
    withRun(store);
    store.writeBatch([sample('p1', 0, 'first')], [{ key: 'k', completion: completion('first') }]);
    // A re-collection (--fresh) replaces both the sample and the cache entry: 'first' goes.
    store.writeBatch([sample('p1', 0, 'second')], [{ key: 'k', completion: completion('second') }]);
    expect(count(dir, 'answers')).toBe(1);
    // The sample alone moves on: the cache still points at 'second', which stays.
    store.writeBatch([sample('p1', 0, 'third')]);
    expect(count(dir, 'answers')).toBe(2);
    expect(store.cacheGet('k')?.text).toBe('second');
    // Deleting the run releases 'third' (only its sample pointed at it), not the cached 'second'.
    store.deleteRun(RUN);
    expect(count(dir, 'answers')).toBe(1);
    expect(store.cacheGet('k')?.text).toBe('second');
    expect(store.integrityCheck()).toBe('ok');
  });
});

describe('migration 6 -> 7', () => {
  /** A schema-6 database with duplicated texts in samples and cache, and what it reads as. */
  function schemaSixStore() {
    const { dir, store } = fresh();
    withRun(store);
    const samples = [
      sample('p1', 0, 'same'),
      sample('p1', 1, 'same'),
      sample('p2', 0, 'x\u0000y é'),
      sample('p3', 0, undefined),
    ];
    store.writeBatch(samples, [
      { key: 'k0', completion: completion('same'), at: '2024-01-01T00:00:00.000Z' },
      { key: 'k1', completion: { ...completion('only cached'), note: 'n' } },
    ]);
    const expected = texts(store.samplesOf(RUN));
    store.close();
    downgradeStore(dir, 6);
    return { dir, expected };
  }

  it('an older database opened read-only reads the same, texts inline, and is left as it was', () => {
    const { dir, expected } = schemaSixStore();
    expect(() => count(dir, 'answers')).toThrow(/no such table/);
    const ro = track(openStoreReadonly(dir));
    expect(texts(ro.samplesOf(RUN))).toEqual(expected);
    expect(texts(ro.loadRun(RUN).samples)).toEqual(expected);
    expect(ro.cacheEntry('k0')).toEqual({ completion: completion('same'), createdAt: '2024-01-01T00:00:00.000Z' });
    ro.close();
    const raw = new Database(path.join(dir, DB_FILE), { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(6);
    raw.close();
  });

  it('opened writable, its texts move to the answers table, one row each, and read the same', () => {
    const { dir, expected } = schemaSixStore();
    const store = track(openStore(dir));
    expect(store.integrityCheck()).toBe('ok');
    expect(texts(store.samplesOf(RUN))).toEqual(expected);
    expect(store.cacheEntry('k0')).toEqual({ completion: completion('same'), createdAt: '2024-01-01T00:00:00.000Z' });
    expect(store.cacheGet('k1')).toEqual({ ...completion('only cached'), note: 'n' });
    // 'same' (two samples and a cache entry), 'x\0y é' and 'only cached'.
    expect(count(dir, 'answers')).toBe(3);
    const raw = new Database(path.join(dir, DB_FILE), { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const columns = (raw.prepare('PRAGMA table_info(samples)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('text');
    expect(raw.prepare('SELECT COUNT(*) AS n FROM cache WHERE completion LIKE \'%"text"%\'').get()).toEqual({ n: 0 });
    raw.close();
    // New writes find the migrated texts by the same hash: no second copy.
    store.writeBatch([sample('p1', 2, 'same')]);
    expect(count(dir, 'answers')).toBe(3);
  });
});

describe('a collection of 1 MB answers', () => {
  let server: TestServer;
  let work: string;
  beforeAll(async () => {
    // One 1 MB answer per probe, the same for every sample of it (a model at temperature 0).
    server = await startOpenAIServer({ responder: (r) => `${r.prompt}: ${'y'.repeat(1_000_000)}` });
    work = tempDir('phylo-answers-');
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('stores each answer once: identical samples, their cache entries and a cached re-run share it', async () => {
    const suite = writeSuite(path.join(work, 'big.yaml'), 4, 3);
    const results = path.join(work, 'results');
    const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url };
    const run = (name: string) =>
      runInProcess(
        ['run', '--suite', suite, '--models', 'openai:test-model', '--name', name, '--results', results, '--quiet'],
        env,
      );
    const size = () => {
      const s = openStore(results);
      s.checkpoint();
      s.close();
      return fs.statSync(path.join(results, DB_FILE)).size;
    };
    expect((await run('first')).code).toBe(0);
    expect(server.requests).toHaveLength(12);
    const afterFirst = size();
    expect(count(results, 'answers')).toBe(4);
    expect(count(results, 'cache')).toBe(12);
    expect((await run('again')).code).toBe(0);
    expect(server.requests).toHaveLength(12); // every sample from the cache
    const afterAgain = size();
    expect(count(results, 'answers')).toBe(4);
    expect(count(results, 'samples')).toBe(24);
    // 4 distinct answers of 1 MB: about 4 MB, where each of the 24 samples and 12 cache rows once held a copy.
    expect(afterFirst).toBeLessThan(4.5e6);
    expect(afterAgain - afterFirst).toBeLessThan(100_000);
    const store = track(openStoreReadonly(results));
    for (const s of store.samplesOf('again' as RunName))
      expect(s.outcome.status === 'ok' && s.outcome.text.length).toBe(
        1_000_000 + `Question ${s.probe.slice(1)}: `.length,
      );
    console.info(`1 MB answers, 4 probes x 3 samples, cached re-run: ${afterFirst} B, then ${afterAgain} B`);
  });
});
