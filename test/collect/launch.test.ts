// launchCollection: the one way phylo run and the app start a collection. Providers first (a bad prefix stores
// nothing), then the run is created or resumed, then the scheduler runs with the profile's limits and the env's secrets.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchCollection } from '../../src/collect/launch.js';
import { InputError } from '../../src/core/errors.js';
import type { ModelRef, RunName } from '../../src/core/types.js';
import type { Provider } from '../../src/providers/provider.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { FakeProvider, suiteOf, tempDir } from './fakes.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const dir = tempDir();
  dirs.push(dir);
  return path.join(dir, 'results');
}

function opener(dir: string): () => SqliteStore {
  return () => {
    const store = openStore(dir);
    stores.push(store);
    return store;
  };
}

const refs = (...r: string[]) => r as ModelRef[];

describe('launchCollection', () => {
  it('resolves every provider before the store is opened: a bad prefix leaves no results folder', () => {
    const dir = folder();
    const asked: string[] = [];
    expect(() =>
      launchCollection({
        store: opener(dir),
        name: 'r' as RunName,
        suite: suiteOf(2),
        models: refs('fake:a', 'nope:b'),
        providerFor: (prefix) => {
          asked.push(prefix);
          if (prefix === 'nope') throw new InputError('unknown provider "nope"');
          return new FakeProvider(prefix);
        },
        env: {},
      }),
    ).toThrow('unknown provider "nope"');
    expect(asked).toEqual(['fake', 'nope']);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("collects with one provider per prefix, its profile's concurrency, and redacts the env's secrets", async () => {
    const dir = folder();
    const secret = 'very-secret-token-123';
    const fake = Object.assign(
      new FakeProvider('fake', () => {
        throw new Error(`upstream refused ${secret}`);
      }),
      { rateLimit: { maxConcurrency: 2 } },
    );
    const resolved: string[] = [];
    const { store, prepared, collection } = launchCollection({
      store: opener(dir),
      name: 'r' as RunName,
      suite: suiteOf(6),
      models: refs('fake:a', 'fake:b'),
      providerFor: (prefix): Provider => {
        resolved.push(prefix);
        return fake;
      },
      env: { SOME_API_TOKEN: secret },
      retries: 0,
    });
    const result = await collection.done;
    expect(resolved).toEqual(['fake']);
    expect(prepared.resumed).toBe(false);
    expect(result.errors).toBe(12);
    expect(fake.maxInFlight).toBeLessThanOrEqual(2);
    expect(fake.calls).toHaveLength(12); // retries: 0 is one attempt per sample
    const messages = store
      .samplesOf('r' as RunName)
      .map((s) => (s.outcome.status === 'error' ? s.outcome.message : ''));
    expect(messages.every((m) => m.includes('upstream refused') && !m.includes(secret))).toBe(true);
  });

  it('a resume keeps the stored samples and sampling flags unless new ones are given', async () => {
    const dir = folder();
    const base = {
      store: opener(dir),
      name: 'r' as RunName,
      suite: suiteOf(2),
      models: refs('fake:a'),
      providerFor: () => new FakeProvider('fake'),
      env: {},
    };
    const first = launchCollection({ ...base, samples: 2, sampling: { temperature: 0.3, maxTokens: undefined } });
    await first.collection.done;
    expect(first.prepared.spec.sampling).toEqual({ seed: 0, temperature: 0.3 });
    const again = launchCollection(base);
    const result = await again.collection.done;
    expect(again.prepared.resumed).toBe(true);
    expect(again.prepared.spec.samples).toBe(2);
    expect(again.prepared.spec.sampling).toEqual({ seed: 0, temperature: 0.3 });
    expect(result.planned).toBe(0);
    expect(() => launchCollection({ ...base, sampling: { temperature: 0.9 } })).toThrow(/exists with sampling/);
  });
});
