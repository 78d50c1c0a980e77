import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/collect/prepare.js';
import { InputError } from '../../src/core/errors.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { specOf, suiteOf, tempDir } from './fakes.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function fresh(): SqliteStore {
  const dir = tempDir();
  dirs.push(dir);
  const store = openStore(dir);
  stores.push(store);
  return store;
}

describe('prepareRun', () => {
  it('creates a run, then resumes it with the same suite and models in any order', () => {
    const store = fresh();
    const spec = specOf('r', suiteOf(3), ['x:a', 'x:b'], 2);
    expect(prepareRun(store, spec).resumed).toBe(false);
    const again = prepareRun(store, {
      ...spec,
      models: [...spec.models].reverse(),
      suite: { ...spec.suite, file: '/elsewhere/suite.yaml' },
    });
    expect(again.resumed).toBe(true);
    expect(again.spec.models).toEqual(['x:a', 'x:b']);
  });

  it('lets a resumed run grow its sample count', () => {
    const store = fresh();
    const spec = specOf('r', suiteOf(3), ['x:a'], 1);
    prepareRun(store, spec);
    expect(prepareRun(store, { ...spec, samples: 3 }).record.samples).toBe(3);
  });

  it('refuses to resume a name with another suite, other models or other sampling, naming the run', () => {
    const store = fresh();
    const spec = specOf('r', suiteOf(3), ['x:a'], 1);
    prepareRun(store, spec);
    expect(() => prepareRun(store, { ...spec, suite: suiteOf(4) })).toThrow(InputError);
    expect(() => prepareRun(store, { ...spec, suite: suiteOf(4) })).toThrow(
      /run "r" exists with suite fake-suite@1 and different probes/,
    );
    expect(() => prepareRun(store, { ...spec, models: ['x:a', 'x:b'] as never })).toThrow(
      /run "r" exists with models x:a/,
    );
    expect(() => prepareRun(store, { ...spec, sampling: { temperature: 0 } })).toThrow(
      /run "r" exists with sampling \{\}/,
    );
  });
});
