// Run-time faults of issue 15 through the real CLI in child processes against our OpenAI wire server: same-name runs
// at once, the exit status of an incomplete run, Retry-After ceilings, and answers bigger than the byte cap.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite.js';
import { startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { cellsOf, phylo, workFolder, writeProfile, writeSuite } from './helpers.js';

let work: string;
const servers: TestServer[] = [];

beforeAll(() => {
  work = workFolder('phylo-run-faults-');
  writeProfile(work);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(work, { recursive: true, force: true });
});

async function server(options: Parameters<typeof startOpenAIServer>[0]): Promise<TestServer> {
  const s = await startOpenAIServer(options);
  servers.push(s);
  return s;
}

const env = (s: TestServer): NodeJS.ProcessEnv => ({ PHYLO_PROFILES: path.join(work, 'profiles'), LOCAL_URL: s.url });

describe('same-name runs at once', () => {
  it('the second exits 2 naming the holder; exactly one request per sample', { timeout: 180_000 }, async () => {
    const s = await server({ models: ['m1'], latencyMs: 250 });
    const suite = writeSuite(path.join(work, 'lease.yaml'), 24);
    const results = path.join(work, 'lease-results');
    const args = ['run', '--suite', suite, '--models', 'local:m1', '--name', 's', '--results', results, '--quiet'];
    args.push('--concurrency', '2');
    const [a, b] = await Promise.all([phylo(args, env(s)), phylo(args, env(s))]);
    const codes = [a.code, b.code].sort();
    const loser = a.code === 2 ? a : b;
    // 24 samples at 2 in flight and 250 ms each take 3 s: the two processes overlap unless one started 3 s late.
    expect(codes).toEqual([0, 2]);
    expect(loser.stderr).toMatch(/run "s" is being collected by process \d+ on .+; wait for it/);
    expect(loser.stderr.trim().split('\n')).toHaveLength(1);
    const cells = cellsOf(s.requests.map((r) => r.body));
    expect(cells).toHaveLength(24);
    expect(new Set(cells).size).toBe(24);
  });

  it('with --wait both finish, still one request per sample', { timeout: 180_000 }, async () => {
    const s = await server({ models: ['m1'], latencyMs: 250 });
    const suite = writeSuite(path.join(work, 'lease-wait.yaml'), 24);
    const results = path.join(work, 'lease-wait-results');
    const args = ['run', '--suite', suite, '--models', 'local:m1', '--name', 'w', '--results', results, '--quiet'];
    args.push('--concurrency', '2', '--wait');
    const [a, b] = await Promise.all([phylo(args, env(s)), phylo(args, env(s))]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(`${a.stderr}${b.stderr}`).toMatch(/waiting: run w is held by process \d+/);
    expect(cellsOf(s.requests.map((r) => r.body))).toHaveLength(24);
    const store = openStore(results);
    try {
      expect(store.leases().holderOf('w')).toBeUndefined(); // released on exit
      expect(store.listRuns()[0]!.status).toBe('finished');
    } finally {
      store.close();
    }
  });
});

describe('exit status', () => {
  it(
    'every attempt failing exits 1 with the count by error kind; a complete run exits 0',
    { timeout: 120_000 },
    async () => {
      const s = await server({ models: ['m1'], faults: (r) => (r.index < 6 ? { kind: '500' } : undefined) });
      const suite = writeSuite(path.join(work, 'exit.yaml'), 3);
      const results = path.join(work, 'exit-results');
      const args = ['run', '--suite', suite, '--models', 'local:m1', '--name', 'e', '--results', results, '--quiet'];
      // 3 samples x 2 attempts = the 6 failing requests.
      const failed = await phylo([...args, '--retries', '1'], env(s));
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/run e is incomplete: 3 samples failed after every attempt \(server 3\)/);
      const resumed = await phylo(args, env(s));
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).not.toMatch(/incomplete/);
    },
  );

  it('refused connections exit 1 (connection)', { timeout: 60_000 }, async () => {
    const suite = writeSuite(path.join(work, 'refused.yaml'), 2);
    const args = ['run', '--suite', suite, '--models', 'local:m1', '--results', path.join(work, 'refused-results')];
    const r = await phylo([...args, '--retries', '0', '--quiet'], {
      PHYLO_PROFILES: path.join(work, 'profiles'),
      LOCAL_URL: 'http://127.0.0.1:1/v1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(connection 2\)/);
  });
});

describe('Retry-After ceiling', () => {
  it.each([
    ['an hour', '3600', /asked to wait 3600 s, over the 60 s limit/],
    ['a 30-digit value', '1'.repeat(30), /asked to wait 1\.11e\+29 s, over the 60 s limit/],
  ])('%s fails the sample as rate_limit at once, with the figure', { timeout: 60_000 }, async (_, value, said) => {
    const s = await server({ models: ['m1'], faults: [{ kind: '429', retryAfter: value }] });
    const suite = writeSuite(path.join(work, `ra-${value.length}.yaml`), 1);
    const results = path.join(work, `ra-results-${value.length}`);
    const r = await phylo(
      ['run', '--suite', suite, '--models', 'local:m1', '--name', 'ra', '--results', results],
      env(s),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(rate_limit 1\)/);
    expect(r.stderr).not.toMatch(/TimeoutOverflowWarning/);
    expect(s.requests).toHaveLength(1); // no retry after 1 ms
    const store = openStore(results);
    try {
      const [sample] = store.samplesOf('ra' as never);
      expect(sample!.outcome).toMatchObject({ status: 'error', kind: 'rate_limit' });
      expect(sample!.outcome.status === 'error' && sample!.outcome.message).toMatch(said);
    } finally {
      store.close();
    }
  });

  it(
    '--max-retry-wait raises the ceiling: a 2 s wait is honoured and said on stderr',
    { timeout: 60_000 },
    async () => {
      const s = await server({ models: ['m1'], faults: [{ kind: '429', retryAfter: '2' }] });
      const suite = writeSuite(path.join(work, 'ra-ok.yaml'), 1);
      const args = ['run', '--suite', suite, '--models', 'local:m1', '--results', path.join(work, 'ra-ok-results')];
      const r = await phylo([...args, '--max-retry-wait', '5'], env(s));
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/local: rate limit, waiting 2 s until \d\d:\d\d:\d\d UTC/);
      expect(s.requests).toHaveLength(2);
    },
  );
});

describe('answer size limit', () => {
  it('four 100 MB answers: cut at 1 MB, marked truncated, peak RSS bounded', { timeout: 180_000 }, async () => {
    const s = await server({ models: ['m1'], faults: () => ({ kind: 'huge', bytes: 100 * 1024 * 1024 }) });
    const suite = writeSuite(path.join(work, 'huge.yaml'), 4);
    const results = path.join(work, 'huge-results');
    const r = await phylo(
      ['run', '--suite', suite, '--models', 'local:m1', '--name', 'h', '--results', results],
      env(s),
    );
    expect(r.code).toBe(0);
    // Before the cap: 1.35 GB. Node, tsx and the SDK take ~150 MB before the first request.
    expect(r.peakMiB).toBeLessThan(400);
    const store = openStore(results);
    try {
      const samples = store.samplesOf('h' as never);
      expect(samples).toHaveLength(4);
      for (const sample of samples) {
        expect(sample.outcome.status).toBe('ok');
        if (sample.outcome.status !== 'ok') continue;
        expect(sample.outcome.finishReason).toBe('truncated');
        expect(sample.outcome.note).toMatch(/cut at 1048576 bytes/);
        expect(sample.outcome.text.length).toBeGreaterThan(1_000_000);
        expect(sample.outcome.text.length).toBeLessThanOrEqual(1_048_576);
      }
    } finally {
      store.close();
    }
    console.info(`four 100 MB answers: peak RSS ${r.peakMiB.toFixed(0)} MiB`);
  });

  it('a profile maxAnswerBytes lowers the cap', { timeout: 60_000 }, async () => {
    const dir = workFolder('phylo-cap-');
    writeProfile(dir, ['maxAnswerBytes: 4096']);
    const s = await server({ models: ['m1'], faults: () => ({ kind: 'huge', bytes: 100_000 }) });
    const suite = writeSuite(path.join(dir, 'cap.yaml'), 1);
    const results = path.join(dir, 'r');
    const r = await phylo(['run', '--suite', suite, '--models', 'local:m1', '--name', 'c', '--results', results], {
      PHYLO_PROFILES: path.join(dir, 'profiles'),
      LOCAL_URL: s.url,
    });
    expect(r.code).toBe(0);
    const store = openStore(results);
    try {
      const [sample] = store.samplesOf('c' as never);
      expect(sample!.outcome).toMatchObject({ status: 'ok', finishReason: 'truncated' });
      expect(sample!.outcome.status === 'ok' && sample!.outcome.text.length).toBeLessThan(4096);
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
