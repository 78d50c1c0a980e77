// The embedding cache: float32 vectors by key in phylo.db, a schema migration that keeps older databases working,
// and a results-folder cache that opens the store writable only to write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddingCacheKey, type EmbeddingKeyInput } from '../../src/store/cache-key.js';
import { ResultsEmbeddingCache } from '../../src/store/embedding-cache.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.js';
import { downgradeStore } from './old-schema.js';
import { DB_FILE, openStore, openStoreReadonly } from '../../src/store/sqlite.js';
import { separableRun } from '../analysis/synthetic.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempResults(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-emb-store-'));
  dirs.push(d);
  return d;
}

/** A store holding one run, turned back into a schema-1 database (before the embeddings table existed). */
function schemaOneStore(dir: string) {
  const data = separableRun(3, 1);
  const store = openStore(dir);
  store.createRun({
    name: data.run.name,
    suite: data.run.suite,
    models: data.run.models,
    samples: 1,
    origin: 'test',
    status: 'finished',
  });
  store.writeBatch(data.samples);
  store.close();
  // Copy the run into a database built by the first migration alone: the tables as schema 1 had them.
  downgradeStore(dir, 1);
  return data;
}

const vec = (...xs: number[]) => Float64Array.from(xs);

describe('embeddings table', () => {
  it('round-trips vectors at float32 precision and replaces an entry with the same key', () => {
    const dir = tempResults();
    const store = openStore(dir);
    const third = 1 / 3;
    store.putEmbeddings([
      { key: 'a', vector: vec(third, -2.5, 0, 1e-3) },
      { key: 'b', vector: vec(1, 2) },
    ]);
    const got = store.getEmbeddings(['a', 'b', 'missing']);
    expect([...got.keys()].sort()).toEqual(['a', 'b']);
    expect([...got.get('a')!]).toEqual([Math.fround(third), -2.5, 0, Math.fround(1e-3)]);
    store.putEmbeddings([{ key: 'b', vector: vec(5, 6, 7) }]);
    expect([...store.getEmbeddings(['b']).get('b')!]).toEqual([5, 6, 7]);
    store.close();
    const ro = openStoreReadonly(dir);
    expect([...ro.getEmbeddings(['b']).get('b')!]).toEqual([5, 6, 7]);
    ro.close();
  });

  it('migrates a schema-1 database: the run is intact and the cache works', () => {
    const dir = tempResults();
    const data = schemaOneStore(dir);
    // Read-only (as phylo tree opens it), the old database is readable and simply has nothing cached.
    const ro = openStoreReadonly(dir);
    expect(ro.getEmbeddings(['x']).size).toBe(0);
    expect(ro.loadRun(data.run.name).samples).toHaveLength(data.samples.length);
    ro.close();
    const store = openStore(dir);
    expect(store.integrityCheck()).toBe('ok');
    const loaded = store.loadRun(data.run.name);
    const cells = (samples: typeof data.samples) =>
      samples.map((s) => `${s.model} ${s.probe} ${s.index} ${s.outcome.status === 'ok' ? s.outcome.text : ''}`).sort();
    expect(cells(loaded.samples)).toEqual(cells(data.samples));
    store.putEmbeddings([{ key: 'x', vector: vec(1, 0) }]);
    expect(store.getEmbeddings(['x']).size).toBe(1);
    store.close();
    const raw = new Database(path.join(dir, DB_FILE), { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
    expect(MIGRATIONS).toHaveLength(SCHEMA_VERSION);
  });
});

describe('ResultsEmbeddingCache', () => {
  it('reads without a writable store and migrates only when it writes', () => {
    const dir = tempResults();
    schemaOneStore(dir);
    const version = () => {
      const raw = new Database(path.join(dir, DB_FILE), { readonly: true });
      try {
        return raw.pragma('user_version', { simple: true });
      } finally {
        raw.close();
      }
    };
    const cache = new ResultsEmbeddingCache(dir);
    expect(cache.getEmbeddings(['k']).size).toBe(0);
    expect(cache.wrote).toBe(false);
    expect(version()).toBe(1);
    cache.putEmbeddings([{ key: 'k', vector: vec(0.5, 0.25) }]);
    expect(cache.wrote).toBe(true);
    expect([...cache.getEmbeddings(['k']).get('k')!]).toEqual([0.5, 0.25]);
    cache.close();
    expect(version()).toBe(SCHEMA_VERSION);
    const again = new ResultsEmbeddingCache(dir);
    expect([...again.getEmbeddings(['k']).get('k')!]).toEqual([0.5, 0.25]);
    again.close();
  });

  it('treats a folder without a database as an empty cache', () => {
    const dir = tempResults();
    const cache = new ResultsEmbeddingCache(dir);
    expect(cache.getEmbeddings(['k']).size).toBe(0);
    cache.close();
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(false);
  });
});

describe('embedding cache key', () => {
  const base: EmbeddingKeyInput = {
    providerKind: 'openai',
    baseURL: 'http://127.0.0.1:1234/v1',
    model: 'text-embedding-3-small',
    text: 'hello',
  };

  it('is a SHA-256 that ignores a trailing slash on the base URL', () => {
    expect(embeddingCacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(embeddingCacheKey({ ...base, baseURL: `${base.baseURL}/` })).toBe(embeddingCacheKey(base));
  });

  it('changes with provider kind, base URL, model and text', () => {
    const keys = [
      base,
      { ...base, providerKind: 'ollama' },
      { ...base, baseURL: 'http://127.0.0.1:9999/v1' },
      { ...base, model: 'text-embedding-3-large' },
      { ...base, text: 'hello ' },
    ].map(embeddingCacheKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
