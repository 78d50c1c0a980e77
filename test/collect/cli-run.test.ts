// End to end: `phylo run` in a child process against a local OpenAI-protocol server.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { openStore } from '../../src/store/sqlite.js';
import { runCli, runInProcess, startCli } from './cli.js';
import { tempDir } from './fakes.js';

const KEY = ['sk', 'phylo-test-key-4f9a2c7e1b8d3a6f'].join('-');
const WRONG_KEY = ['sk', 'phylo-wrong-key-0d1e2f3a4b5c6d7e'].join('-');

let server: TestServer;
let work: string;

function writeSuite(file: string, probes: number, samples = 1): void {
  const lines = [
    'name: e2e',
    'version: "1"',
    'description: end-to-end suite',
    'defaults:',
    '  temperature: 0.5',
    '  max_tokens: 32',
    `  samples: ${samples}`,
    'probes:',
  ];
  for (let i = 0; i < probes; i++)
    lines.push(`  - id: q${i}`, '    tags: [t]', '    messages:', `      - { role: user, content: "Question ${i}" }`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  work = tempDir('phylo-e2e-');
  server = await startOpenAIServer({ models: ['m1', 'm2'], latencyMs: 40, apiKey: KEY });
  fs.mkdirSync(path.join(work, 'profiles'));
  fs.writeFileSync(
    path.join(work, 'profiles', 'local.yaml'),
    `${[
      'name: local',
      'kind: openai',
      'baseURLEnv: LOCAL_URL',
      'keyEnv: LOCAL_KEY',
      'rateLimit:',
      '  maxConcurrency: 4',
    ].join('\n')}\n`,
  );
  writeSuite(path.join(work, 'suite.yaml'), 40);
  writeSuite(path.join(work, 'small.yaml'), 3);
  fs.writeFileSync(
    path.join(work, 'bad.yaml'),
    'name: bad\nversion: "1"\ndescription: x\ndefaults: { temperature: 0.5, max_tokens: 8, samples: 1 }\nprobes:\n  - id: nothing-asked\n    tags: [t]\n',
  );
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PHYLO_PROFILES: path.join(work, 'profiles'), LOCAL_URL: server.url, LOCAL_KEY: KEY, ...extra };
}

/** (model, prompt) of a chat request in the server's log. */
function cellOf(body: unknown): string {
  const b = body as { model: string; messages: { role: string; content: string }[] };
  return `${b.model}|${b.messages.at(-1)!.content}`;
}

describe('phylo run (child process, local OpenAI server)', () => {
  it(
    'survives SIGKILL mid-run: the restart requests only what was not stored, once',
    { timeout: 600_000 },
    async () => {
      const results = path.join(work, 'kill');
      const args = [
        'run',
        '--suite',
        path.join(work, 'suite.yaml'),
        '--models',
        'local:m1,local:m2',
        '--samples',
        '2',
        '--name',
        'k',
        '--results',
        results,
        '--concurrency',
        '4',
      ];
      const first = startCli(args, env());
      const db = path.join(results, 'phylo.db');
      // Wait until some samples are committed, then kill without warning.
      let stored = 0;
      while (stored < 12) {
        await new Promise((r) => setTimeout(r, 25));
        if (first.child.exitCode !== null) break;
        if (!fs.existsSync(db)) continue;
        try {
          const conn = new Database(db, { readonly: true, fileMustExist: true });
          stored = (conn.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
          conn.close();
        } catch {
          // schema not there yet
        }
      }
      // Still running: the kill is really mid-run.
      if (first.child.exitCode !== null) expect.fail(`phylo run ended before the kill: ${(await first.done).stderr}`);
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      const requestsBefore = server.requests.length;

      const atKill = openStore(results);
      const total = 2 * 40 * 2;
      const keptAtKill = atKill.samplesOf('k' as never);
      expect(atKill.getRun('k' as never).status).toBe('running');
      atKill.close();
      expect(keptAtKill.length).toBeGreaterThan(0);
      expect(keptAtKill.length).toBeLessThan(total);
      const keptPerCell = new Map<string, number>();
      for (const s of keptAtKill) {
        const cell = `${s.model.slice('local:'.length)}|Question ${s.probe.slice(1)}`;
        keptPerCell.set(cell, (keptPerCell.get(cell) ?? 0) + 1);
      }

      const second = await runCli(args, env());
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('(resumed)');

      // Requests after the restart: per (model, prompt), exactly the samples missing at the kill.
      const after = new Map<string, number>();
      for (const r of server.requests.slice(requestsBefore)) {
        if (r.path !== '/v1/chat/completions') continue;
        after.set(cellOf(r.body), (after.get(cellOf(r.body)) ?? 0) + 1);
      }
      for (const model of ['m1', 'm2']) {
        for (let i = 0; i < 40; i++) {
          const cell = `${model}|Question ${i}`;
          expect(after.get(cell) ?? 0, cell).toBe(2 - (keptPerCell.get(cell) ?? 0));
        }
      }

      const store = openStore(results);
      try {
        const samples = store.samplesOf('k' as never);
        expect(samples.length).toBe(total);
        expect(new Set(samples.map((s) => `${s.model}|${s.probe}|${s.index}`)).size).toBe(total);
        for (const s of samples) {
          expect(s.outcome.status).toBe('ok');
          if (s.outcome.status === 'ok')
            expect(s.outcome.text).toBe(`${s.model.slice('local:'.length)} says: Question ${s.probe.slice(1)}`);
        }
        expect(store.getRun('k' as never).status).toBe('finished');
        expect(store.integrityCheck()).toBe('ok');
      } finally {
        store.close();
      }

      // A third run of a finished run sends nothing.
      const before3 = server.requests.length;
      const third = await runCli(args, env());
      expect(third.code).toBe(0);
      expect(server.requests.length).toBe(before3);
    },
  );

  it(
    'Ctrl-C (SIGINT) cancels cleanly: says what was kept, marks the run interrupted, exits 130',
    { timeout: 600_000 },
    async () => {
      const results = path.join(work, 'sigint');
      const args = [
        'run',
        '--suite',
        path.join(work, 'suite.yaml'),
        '--models',
        'local:m1,local:m2',
        '--samples',
        '3',
        '--name',
        'int',
        '--results',
        results,
        '--concurrency',
        '2',
      ];
      const cli = startCli(args, env());
      const before = server.requests.length;
      while (server.requests.length - before < 10 && cli.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 20));
      if (cli.child.exitCode !== null) expect.fail(`phylo run ended before the interrupt: ${(await cli.done).stderr}`);
      cli.child.kill('SIGINT');
      const r = await cli.done;
      expect(r.code).toBe(130);
      const kept = /kept (\d+) samples of run int/.exec(r.stderr);
      expect(kept, r.stderr).not.toBeNull();
      const store = openStore(results);
      try {
        expect(store.getRun('int' as never).status).toBe('interrupted');
        const n = store.samplesOf('int' as never).length;
        expect(Number(kept![1])).toBe(n);
        expect(n).toBeLessThan(2 * 40 * 3);
        expect(store.integrityCheck()).toBe('ok');
      } finally {
        store.close();
      }
      expect(r.stdout).toMatch(/run int interrupted/);
    },
  );

  it(
    'the API key appears nowhere: not in the database (incl. WAL), the exports, or stdout/stderr',
    { timeout: 600_000 },
    async () => {
      const results = path.join(work, 'leak');
      const logs: string[] = [];
      const run = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
        const r = await runCli(args, env(extra));
        logs.push(r.stdout, r.stderr);
        return r;
      };
      const ok = await run([
        'run',
        '--suite',
        path.join(work, 'small.yaml'),
        '--models',
        'local:m1',
        '--name',
        'good',
        '--results',
        results,
      ]);
      expect(ok.code).toBe(0);
      // Hold a connection open so the WAL survives the CLI's exit (the last connection to close deletes it).
      const holder = new Database(path.join(results, 'phylo.db'));
      holder.prepare('SELECT COUNT(*) FROM runs').get();
      // The wrong key makes the server answer 401 and echo the key back; a new temperature avoids the cache.
      const bad = await run(
        [
          'run',
          '--suite',
          path.join(work, 'small.yaml'),
          '--models',
          'local:m2',
          '--name',
          'bad',
          '--temperature',
          '0.9',
          '--results',
          results,
        ],
        { LOCAL_KEY: WRONG_KEY },
      );
      // Every sample failed (401): the run is incomplete, exit 1 with the count by kind (issue 15).
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/incomplete: 3 samples failed after every attempt \(auth 3\)/);
      const echoed = server.requests.some((r) => r.headers.authorization === `Bearer ${WRONG_KEY}`);
      expect(echoed).toBe(true);
      const show = await run(['show', 'bad', '--json', '--results', results]);
      expect(JSON.parse(show.stdout).models[0].errors.auth).toBe(3);
      for (const runName of ['good', 'bad']) {
        await run(['export', runName, '--format', 'jsonl', '--results', results]);
        await run([
          'export',
          runName,
          '--format',
          'csv',
          '--out',
          path.join(results, `${runName}.csv`),
          '--results',
          results,
        ]);
      }
      const files = fs.readdirSync(results).map((f) => path.join(results, f));
      expect(files.some((f) => f.endsWith('phylo.db-wal'))).toBe(true);
      for (const f of files) {
        const bytes = fs.readFileSync(f);
        for (const secret of [KEY, WRONG_KEY]) {
          expect(bytes.includes(Buffer.from(secret)), `${secret} in ${f}`).toBe(false);
          // Also not as a fragment (servers echo keys partly masked).
          expect(bytes.includes(Buffer.from(secret.slice(-12))), `part of ${secret} in ${f}`).toBe(false);
        }
      }
      holder.close();
      for (const text of logs) {
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(WRONG_KEY);
        expect(text).not.toContain(WRONG_KEY.slice(-12));
      }
    },
  );

  it('bad input is one clear line and exit code 2', async () => {
    const results = path.join(work, 'bad-input');
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['run', '--suite', path.join(work, 'bad.yaml'), '--models', 'local:m1'], {}, /bad\.yaml/],
      [['run', '--suite', path.join(work, 'small.yaml'), '--models', 'nosuch:model'], {}, /unknown provider "nosuch"/],
      [['run', '--suite', path.join(work, 'small.yaml'), '--models', 'local:m1'], { LOCAL_KEY: '' }, /LOCAL_KEY/],
      [
        ['run', '--suite', path.join(work, 'small.yaml'), '--models', 'local:m1', '--samples', 'many'],
        {},
        /--samples many/,
      ],
      [['show', 'no-such-run'], {}, /run "no-such-run" not found/],
    ];
    // In process (a child per case costs seconds on a loaded machine); the exit code is what main() returns.
    for (const [args, extra, message] of cases) {
      const r = await runInProcess([...args, '--results', results], env(extra));
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines.length, r.stderr).toBe(1);
      expect(lines[0]).toMatch(/^phylo: /);
      expect(lines[0]).toMatch(message);
      expect(r.stdout).toBe('');
    }
    // Resuming a name with other models is refused, naming the run.
    const first = await runInProcess(
      [
        'run',
        '--suite',
        path.join(work, 'small.yaml'),
        '--models',
        'local:m1',
        '--name',
        'same',
        '--quiet',
        '--results',
        results,
      ],
      env(),
    );
    expect(first.code).toBe(0);
    const clash = await runInProcess(
      ['run', '--suite', path.join(work, 'small.yaml'), '--models', 'local:m2', '--name', 'same', '--results', results],
      env(),
    );
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/run "same" exists with models local:m1/);
  });
});
