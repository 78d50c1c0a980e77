// Fresh SQLite stores, each in its own temporary folder, all closed and removed after every test of the file.
import fs from 'node:fs';
import { afterEach } from 'vitest';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { tempDir } from '../collect/fakes.js';

export interface StoreFixture {
  /** A new store under a new temporary folder. */
  fresh(): { dir: string; store: SqliteStore };
  /** Close this store too after the test (a store reopened by the test). */
  track<S extends { close(): void }>(store: S): S;
}

/** Call at the top of a test file; `resultsIn` says where under the temporary folder the store goes. */
export function storeFixture(resultsIn: (dir: string) => string = (dir) => dir): StoreFixture {
  const dirs: string[] = [];
  const stores: { close(): void }[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const track = <S extends { close(): void }>(store: S): S => {
    stores.push(store);
    return store;
  };
  return {
    fresh() {
      const dir = tempDir();
      dirs.push(dir);
      return { dir, store: track(openStore(resultsIn(dir))) };
    },
    track,
  };
}
