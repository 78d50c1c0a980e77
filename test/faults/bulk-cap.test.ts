// 100 MB model listings and embedding responses (issue 15) on every wire that has them, through the real CLI in a
// child process with its peak RSS recorded: each ends in one line naming the provider and the 16 MiB limit (exit 2),
// or, for Ollama's weights digest read during a run, in a run without the digest (exit 0).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite.js';
import {
  type RecordedRequest,
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type TestServer,
} from '../../src/testing/servers/index.js';
import { phylo, workFolder, writeProfile, writeSuite } from './helpers.js';

const servers: TestServer[] = [];
const folders: string[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

const HUNDRED_MB = 100 * 1024 * 1024;
/** Node, tsx and the SDKs take ~150 MB; the cap adds at most 16 MiB and its copies. */
const CEILING_MIB = 400;
const hugeOn = (paths: readonly string[]) => (r: RecordedRequest) =>
  paths.includes(r.path) ? { kind: 'huge' as const, bytes: HUNDRED_MB } : undefined;

function work(prefix: string, kind: 'openai' | 'anthropic' | 'ollama'): string {
  const dir = workFolder(prefix);
  folders.push(dir);
  writeProfile(dir, [], kind);
  return dir;
}

const LISTINGS = [
  ['openai', startOpenAIServer, '/v1/models'],
  ['anthropic', startAnthropicServer, '/v1/models'],
  ['ollama', startOllamaServer, '/api/tags'],
] as const;

describe.each(LISTINGS)('a 100 MB model listing, %s wire', (kind, start, listing) => {
  it(
    'phylo models local: one line naming the provider and the limit, exit 2, peak RSS bounded',
    {
      timeout: 120_000,
    },
    async () => {
      const dir = work(`phylo-bulk-list-${kind}-`, kind);
      const s = await start({ faults: hugeOn([listing]) });
      servers.push(s);
      const r = await phylo(['models', 'local'], { PHYLO_PROFILES: path.join(dir, 'profiles'), LOCAL_URL: s.url });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/at .+\.ts:\d+/);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/local.*the model listing from http:\/\/127\.0\.0\.1:\d+\S* is larger than 16 MiB/);
      expect(r.stdout + r.stderr).not.toContain('xxxx');
      expect(r.peakMiB).toBeLessThan(CEILING_MIB);
      console.info(`${kind}: 100 MB listing, phylo models, peak RSS ${r.peakMiB.toFixed(0)} MiB`);
    },
  );
});

describe('a 100 MB /api/tags during an Ollama run (read once for the weights digest)', () => {
  it('the run completes without the digest, exit 0, peak RSS bounded', { timeout: 120_000 }, async () => {
    const dir = work('phylo-bulk-digest-', 'ollama');
    const s = await startOllamaServer({ models: ['m1'], faults: hugeOn(['/api/tags']) });
    servers.push(s);
    const suite = writeSuite(path.join(dir, 'suite.yaml'), 4);
    const results = path.join(dir, 'results');
    const r = await phylo(['run', '--suite', suite, '--models', 'local:m1', '--name', 'd', '--results', results], {
      PHYLO_PROFILES: path.join(dir, 'profiles'),
      LOCAL_URL: s.url,
    });
    expect(r.stderr).not.toMatch(/Error|at .+\.ts:\d+/);
    expect(r.code).toBe(0);
    expect(s.requests.filter((q) => q.path === '/api/tags').length).toBeGreaterThan(0);
    expect(r.peakMiB).toBeLessThan(CEILING_MIB);
    const store = openStore(results);
    try {
      const samples = store.samplesOf('d' as never);
      expect(samples).toHaveLength(4);
      for (const sample of samples) expect(sample.outcome.status).toBe('ok');
    } finally {
      store.close();
    }
    console.info(`ollama: 100 MB /api/tags during a run, peak RSS ${r.peakMiB.toFixed(0)} MiB`);
  });
});

const EMBEDDINGS = [
  ['openai', startOpenAIServer, '/v1/embeddings'],
  ['ollama', startOllamaServer, '/api/embed'],
] as const;

describe.each(EMBEDDINGS)('a 100 MB embeddings response, %s wire', (kind, start, endpoint) => {
  it(
    'phylo tree --embeddings: one line naming the provider, model and limit, exit 2, peak RSS bounded',
    {
      timeout: 180_000,
    },
    async () => {
      const dir = work(`phylo-bulk-embed-${kind}-`, kind);
      const s = await start({ models: ['m1', 'm2', 'm3', 'emb'], faults: hugeOn([endpoint]) });
      servers.push(s);
      const env = { PHYLO_PROFILES: path.join(dir, 'profiles'), LOCAL_URL: s.url };
      const suite = writeSuite(path.join(dir, 'suite.yaml'), 3);
      const results = path.join(dir, 'results');
      const models = 'local:m1,local:m2,local:m3';
      const run = await phylo(['run', '--suite', suite, '--models', models, '--name', 'e', '--results', results], env);
      expect(run.code).toBe(0);
      const r = await phylo(
        ['tree', 'e', '--signal', 'embed', '--embeddings', 'local:emb', '--results', results, '--bootstrap', '0'],
        env,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/at .+\.ts:\d+/);
      const lines = r.stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(
        /embeddings local:emb: the embeddings response from http:\/\/127\.0\.0\.1:\d+\S* is larger than 16 MiB/,
      );
      // Refused at the first response: not retried, no second batch started.
      expect(s.requests.filter((q) => q.path === endpoint)).toHaveLength(1);
      expect(r.peakMiB).toBeLessThan(CEILING_MIB);
      console.info(`${kind}: 100 MB embeddings response, phylo tree, peak RSS ${r.peakMiB.toFixed(0)} MiB`);
    },
  );
});
