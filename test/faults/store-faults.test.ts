// Store and input faults of issue 15: a fresh results folder opened by several processes at once, a full disk, a
// corrupt database or a file where the folder should be, a run left `running` by a crash, hostile text on the way
// to a terminal, control characters in imported model names, huge indices and sample counts, and pathological
// regexes in a suite.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchCollection } from '../../src/collect/launch.js';
import type { ModelRef, RunName } from '../../src/core/types.js';
import { RunHeldError } from '../../src/store/lease.js';
import { StoreUnusableError } from '../../src/store/store-error.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { REPO } from '../collect/cli.js';
import { answer, FakeProvider, suiteOf } from '../collect/fakes.js';
import { runCli } from '../helpers/run-cli.js';
import { workFolder } from './helpers.js';

let work: string;
beforeAll(() => {
  work = workFolder('phylo-store-faults-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const oneLineError = (err: string): void => {
  expect(err.trim().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
};

describe('a fresh results folder opened by several processes at once', () => {
  it(
    '12 processes x 3 rounds: every open succeeds (before: "table runs already exists")',
    { timeout: 300_000 },
    async () => {
      const child = path.join(REPO, 'test/faults/open-store-child.ts');
      for (let round = 0; round < 3; round++) {
        const folder = path.join(work, `fresh-${round}`);
        const startAt = Date.now() + 8000; // after every child has loaded
        const codes = await Promise.all(
          Array.from(
            { length: 12 },
            () =>
              new Promise<{ code: number | null; err: string }>((resolve) => {
                const p = spawn(process.execPath, ['--import', 'tsx', child, folder, String(startAt)], { cwd: REPO });
                let err = '';
                p.stderr.on('data', (d: Buffer) => {
                  err += d.toString();
                });
                p.on('close', (code) => resolve({ code, err }));
              }),
          ),
        );
        expect(codes).toEqual(Array.from({ length: 12 }, () => ({ code: 0, err: '' })));
        const store = openStore(folder);
        expect(store.integrityCheck()).toBe('ok');
        store.close();
      }
    },
  );
});

describe('an unusable results folder: one line, exit 2, naming the folder and the cause', () => {
  it('a file where the folder should be', async () => {
    const file = path.join(work, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const r = await runCli(['runs', '--results', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/results folder .*not-a-folder: .*a file stands where the folder should be/);
    oneLineError(r.err);
  });

  it('a corrupt phylo.db', async () => {
    const folder = path.join(work, 'corrupt');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'phylo.db'), Buffer.alloc(8192, 0x5a));
    const r = await runCli(['runs', '--results', folder]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/results folder .*corrupt: phylo\.db is not a SQLite database .*SQLITE_NOTADB/);
    oneLineError(r.err);
  });

  it('a full disk mid-run (max_page_count): the run stops, names the cause, resumes later', async () => {
    const folder = path.join(work, 'full');
    const big = 'y'.repeat(20_000);
    // Distinct answers: identical ones are stored once (answers table) and would never fill the disk.
    const provider = new FakeProvider('fake', (call) => answer(`${call.prompt} ${big}`));
    const launch = (limitPages: boolean) =>
      launchCollection({
        store: () => {
          const store = openStore(folder);
          // A few pages more than the empty schema needs: the first batches of answers fill it.
          if (limitPages) {
            const [{ page_count }] = store.pragma('page_count') as [{ page_count: number }];
            store.pragma(`max_page_count = ${page_count + 30}`);
          }
          return store;
        },
        name: 'full' as RunName,
        suite: suiteOf(40),
        models: ['fake:m' as ModelRef],
        providerFor: () => provider,
        env: {},
      });
    const first = launch(true);
    const failure = await first.collection.done.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(StoreUnusableError);
    expect((failure as Error).message).toMatch(/results folder .*full: the disk is full .*SQLITE_FULL/);
    const kept = first.store.samplesOf('full' as RunName).length;
    first.store.close();
    expect(kept).toBeLessThan(40);
    // The lease went with the failure; the run is interrupted (or shows so) and resumes without re-asking.
    const second = launch(false);
    expect(['interrupted']).toContain(statusOf(second.store, 'full'));
    const before = provider.calls.length;
    const result = await second.collection.done;
    expect(result.ok).toBe(40 - kept);
    expect(provider.calls.length - before).toBe(40 - kept);
    second.store.close();
  });
});

function statusOf(store: SqliteStore, run: string): string | undefined {
  return store.listRuns().find((r) => r.name === run)?.status;
}

describe('a run left running by a crash', () => {
  it('shows as interrupted in phylo runs; a live holder keeps it running', async () => {
    const folder = path.join(work, 'crashed');
    const store = openStore(folder);
    store.createRun({ name: 'dead' as RunName, suite: suiteOf(1), models: [], samples: 1, origin: 'run' });
    store.createRun({ name: 'live' as RunName, suite: suiteOf(1), models: [], samples: 1, origin: 'run' });
    const held = store.leases().tryAcquire('live');
    expect(held.ok).toBe(true);
    // A lease row of a process that is gone (pid 2^22 + 1 is above Linux's pid_max default of 2^22).
    const raw = new Database(path.join(folder, 'phylo.db'));
    raw
      .prepare('INSERT INTO run_leases VALUES (?, ?, ?, ?, ?, ?)')
      .run('dead', 4_194_305, 'gone-host', 't', '2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z');
    raw.close();
    const r = await runCli(['runs', '--results', folder, '--json']);
    const runs = JSON.parse(r.out) as { name: string; status: string }[];
    expect(Object.fromEntries(runs.map((x) => [x.name, x.status]))).toEqual({ dead: 'interrupted', live: 'running' });
    // The live lease refuses a second holder; the stale one is stolen.
    expect(store.leases().tryAcquire('live').ok).toBe(false);
    const stolen = store.leases().tryAcquire('dead');
    expect(stolen.ok).toBe(true);
    if (held.ok) held.lease.release();
    if (stolen.ok) stolen.lease.release();
    store.close();
  });

  it('launchCollection refuses a run another live process holds (RunHeldError, exit 2 in phylo run)', () => {
    const folder = path.join(work, 'held');
    const store = openStore(folder);
    const held = store.leases().tryAcquire('r');
    const launch = () =>
      launchCollection({
        store: () => openStore(folder),
        name: 'r' as RunName,
        suite: suiteOf(1),
        models: ['fake:m' as ModelRef],
        providerFor: () => new FakeProvider('fake'),
        env: {},
      });
    expect(launch).toThrow(RunHeldError);
    if (held.ok) held.lease.release();
    store.close();
  });
});
