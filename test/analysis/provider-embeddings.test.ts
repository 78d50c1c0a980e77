// `phylo tree RUN --embeddings PROVIDER:MODEL` through main(), against the local OpenAI and Ollama servers with dummy
// keys: the families of a synthetic run are recovered, a second run makes no request, the key never reaches the
// store, and a missing key or an unreachable server is one line and exit code 2.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { distinctTexts } from '../../src/phenotype/provider-embeddings.js';
import { responseTable } from '../../src/phenotype/responses.js';
import { parseNewick, splitsOf } from '../../src/phylo/index.js';
import { startOllamaServer, startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { DB_FILE, openStore } from '../../src/store/sqlite.js';
import { CLANS, separableRun } from './synthetic.js';

const KEY = ['sk', 'dummy-tree-embed-7f3a9c2e51'].join('-');
const data = separableRun(20, 1);
const texts = distinctTexts(responseTable(data));

let server: TestServer | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A results folder holding the synthetic run. */
function storedRun(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-tree-emb-'));
  dirs.push(dir);
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
  return dir;
}

/** main() with `env` set over process.env (undefined deletes), stdout and stderr captured. */
async function runMain(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const embedInputs = (s: TestServer) =>
  s.requests
    .filter((r) => r.path === '/v1/embeddings' || r.path === '/api/embed')
    .map((r) => (r.body as { input: string[] }).input);

/** The bipartition of the two clans is a branch of the tree; returns its bootstrap support. */
function clanSplitSupport(newick: string): number | undefined {
  const clan = [...CLANS.A].sort().join(',');
  const other = [...CLANS.B].sort().join(',');
  const split = splitsOf(parseNewick(newick)).find((s) => {
    const leaves = [...s.leaves].sort().join(',');
    return leaves === clan || leaves === other;
  });
  expect(split, `no branch separates the clans in ${newick}`).toBeDefined();
  return split!.support;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('phylo tree --embeddings', () => {
  let results: string;
  beforeAll(() => {
    results = storedRun();
  });

  it('embeds each distinct text once with OpenAI, recovers both families, and re-runs from the cache alone (even without the key)', async () => {
    server = await startOpenAIServer({ embeddingDim: 256, apiKey: KEY });
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
    const args = [
      'tree',
      'test',
      '--results',
      results,
      '--embeddings',
      'openai:text-embedding-3-small',
      '--bootstrap',
      '20',
      '--json',
    ];
    const first = await runMain(args, env);
    expect(first.code, first.stderr).toBe(0);
    const inputs = embedInputs(server);
    expect(inputs.length).toBe(Math.ceil(texts.length / 64));
    expect(inputs.flat().sort()).toEqual([...texts].sort());
    const summary = JSON.parse(first.stdout);
    expect(summary.embeddings).toEqual({
      model: 'openai:text-embedding-3-small',
      texts: texts.length,
      cached: 0,
      requests: inputs.length,
    });
    expect(summary.metric).toContain('openai:text-embedding-3-small');
    expect(clanSplitSupport(summary.newick)).toBeGreaterThan(0.5);

    const seen = server.requests.length;
    const second = await runMain(args, env);
    expect(second.code, second.stderr).toBe(0);
    expect(server.requests.length).toBe(seen);
    const again = JSON.parse(second.stdout);
    expect(again.embeddings).toMatchObject({ texts: texts.length, cached: texts.length, requests: 0 });
    expect(again.newick).toBe(summary.newick);

    // Everything is cached, so even without the key the tree is rebuilt offline.
    const offline = await runMain(args, { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: server.url });
    expect(offline.code, offline.stderr).toBe(0);
    expect(server.requests.length).toBe(seen);
    expect(JSON.parse(offline.stdout).newick).toBe(summary.newick);

    // The key is in no file of the results folder: database, WAL, tree files.
    for (const file of filesUnder(results)) expect(fs.readFileSync(file).includes(KEY), file).toBe(false);
  });

  it('embeds with Ollama /api/embed and recovers both families', async () => {
    server = await startOllamaServer({ models: ['nomic-embed-text'], embeddingDim: 256 });
    const r = await runMain(
      [
        'tree',
        'test',
        '--results',
        storedRun(),
        '--embeddings',
        'ollama:nomic-embed-text',
        '--bootstrap',
        '0',
        '--json',
      ],
      { OLLAMA_HOST: server.url },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(embedInputs(server).flat().sort()).toEqual([...texts].sort());
    expect(clanSplitSupport(JSON.parse(r.stdout).newick)).toBeUndefined();
  });

  it('is ignored, with a warning and no request, by a signal that does not embed', async () => {
    server = await startOpenAIServer();
    const r = await runMain(
      [
        'tree',
        'test',
        '--results',
        storedRun(),
        '--signal',
        'traits',
        '--embeddings',
        'openai:emb',
        '--bootstrap',
        '0',
        '--json',
      ],
      { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --embeddings is used by the embed and combined signals only/);
    expect(server.requests).toHaveLength(0);
  });

  it('a missing key with texts to embed: one line naming the variable, exit code 2', async () => {
    const r = await runMain(
      ['tree', 'test', '--results', storedRun(), '--embeddings', 'openai:text-embedding-3-small'],
      { OPENAI_API_KEY: undefined },
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^phylo: provider openai is unavailable: no API key: set OPENAI_API_KEY$/),
    ]);
  });

  it('a malformed ref or a provider without embeddings: one line, exit code 2', async () => {
    const dir = storedRun();
    for (const [ref, message] of [
      ['text-embedding-3-small', /^phylo: --embeddings text-embedding-3-small: expected provider:model/],
      [
        'anthropic:claude-3-5-haiku-latest',
        /^phylo: embeddings anthropic:claude-3-5-haiku-latest: provider anthropic has no embeddings endpoint/,
      ],
    ] as const) {
      const r = await runMain(['tree', 'test', '--results', dir, '--embeddings', ref], { ANTHROPIC_API_KEY: KEY });
      expect([ref, r.code]).toEqual([ref, 2]);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    }
  });

  it('an unreachable server: one line naming the server, exit code 2, nothing cached', async () => {
    const port = await closedPort();
    const dir = storedRun();
    const r = await runMain(['tree', 'test', '--results', dir, '--embeddings', 'openai:text-embedding-3-small'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
    });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^phylo: embeddings openai:text-embedding-3-small: connection after 5 attempts: .*is the server at http://127\\.0\\.0\\.1:${port}/v1 running\\?$`,
      ),
    );
    const db = new Database(path.join(dir, DB_FILE), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM embeddings').get()).toEqual({ n: 0 });
    db.close();
  });

  it('a refused key: exit code 2, and neither the message nor the store holds the key', async () => {
    server = await startOpenAIServer({ apiKey: 'sk-the-right-one-000000' });
    const wrong = ['sk', 'wrong-tree-key-9d8c7b6a5f'].join('-');
    const dir = storedRun();
    const r = await runMain(['tree', 'test', '--results', dir, '--embeddings', 'openai:emb'], {
      OPENAI_API_KEY: wrong,
      OPENAI_BASE_URL: server.url,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^phylo: embeddings openai:emb: auth: /);
    expect(r.stderr).not.toContain(wrong);
    for (const file of filesUnder(dir)) expect(fs.readFileSync(file).includes(wrong), file).toBe(false);
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
