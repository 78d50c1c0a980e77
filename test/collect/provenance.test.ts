// Issue 16: what each endpoint said it was, per sample, and `phylo show` reporting it: an OpenAI-protocol server whose
// answered model (an alias moving to a new snapshot) and system_fingerprint change halfway through a run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBaseURL } from '../../src/collect/provenance.js';
import {
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type TestServer,
} from '../../src/testing/servers/index.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from './fakes.js';

const KEY = ['sk', 'phylo-prov-key-7c1e9a2b4d6f8a0c'].join('-');
const PROBES = 10;
let server: TestServer;
let steady: TestServer;
let claude: TestServer;
let ollama: TestServer;
let work: string;
let results: string;

beforeAll(async () => {
  work = tempDir('phylo-prov-');
  results = path.join(work, 'results');
  // Requests 0-4 (one per probe, concurrency 1) come from the old snapshot, 5-9 from the new one.
  server = await startOpenAIServer({
    models: ['gpt-alias'],
    apiKey: KEY,
    answeredAs: (_r, i) =>
      i < PROBES / 2
        ? { model: 'gpt-alias-0613', fingerprint: 'fp_old' }
        : { model: 'gpt-alias-1106', fingerprint: 'fp_new' },
  });
  steady = await startOpenAIServer({ models: ['gpt-alias'], apiKey: KEY });
  claude = await startAnthropicServer({ models: ['claude-test'], apiKey: KEY });
  ollama = await startOllamaServer({ models: ['llama-test'] });
  fs.mkdirSync(path.join(work, 'profiles'), { recursive: true });
  fs.writeFileSync(path.join(work, 'profiles', 'box.yaml'), 'name: box\nkind: ollama\nbaseURLEnv: BOX_URL\n');
  fs.mkdirSync(path.join(work, 'profiles'), { recursive: true });
  fs.writeFileSync(
    path.join(work, 'profiles', 'claude.yaml'),
    'name: claude\nkind: anthropic\nbaseURLEnv: CLAUDE_URL\nkeyEnv: PROV_KEY\n',
  );

  for (const [name, env] of [
    ['drifting', 'DRIFT_URL'],
    ['steady', 'STEADY_URL'],
  ] as const)
    fs.writeFileSync(
      path.join(work, 'profiles', `${name}.yaml`),
      `name: ${name}\nkind: openai\nbaseURLEnv: ${env}\nkeyEnv: PROV_KEY\nrateLimit:\n  maxConcurrency: 1\n`,
    );
  const lines = ['name: prov', 'version: "1"', 'description: provenance', 'defaults:', '  temperature: 0.5'];
  lines.push('  max_tokens: 16', '  samples: 1', 'probes:');
  for (let i = 0; i < PROBES; i++)
    lines.push(`  - id: q${i}`, '    tags: [t]', '    messages:', `      - { role: user, content: "Question ${i}" }`);
  fs.writeFileSync(path.join(work, 'prov.yaml'), `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await server?.close();
  await steady?.close();
  await claude?.close();
  await ollama?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const env = () => ({
  PHYLO_PROFILES: path.join(work, 'profiles'),
  DRIFT_URL: server.url,
  STEADY_URL: steady.url,
  CLAUDE_URL: claude.url,
  BOX_URL: ollama.url,
  PROV_KEY: KEY,
});

async function run(model: string, name: string, ...flags: string[]) {
  const args = ['run', '--suite', path.join(work, 'prov.yaml'), '--models', model, '--name', name, ...flags];
  const r = await runCli([...args, '--results', results, '--quiet', '--seed', '5'], { env: env() });
  expect(r.code, r.err).toBe(0);
}

interface ShownProvenance {
  model: string;
  entries: { servedModel: string; fingerprint: string; count: number; firstSeen: string; lastSeen: string }[];
  servedModels: string[];
  fingerprints: string[];
  baseURLs: string[];
  clients: string[];
  changed: boolean;
}

describe('provenance per sample and phylo show', () => {
  it('reports both answered models and fingerprints with counts, flagged as a change within the run', async () => {
    await run('drifting:gpt-alias', 'june');
    const shown = await runCli(['show', 'june', '--results', results], { env: env() });
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/answered gpt-alias-0613 {2}fingerprint fp_old {2}5 samples {2}first \S+ {2}last \S+/);
    expect(shown.out).toMatch(/answered gpt-alias-1106 {2}fingerprint fp_new {2}5 samples/);
    expect(shown.out).toContain('! answered model changed within the run: gpt-alias-0613 -> gpt-alias-1106');
    expect(shown.out).toContain('! fingerprint changed within the run: fp_old -> fp_new');
    expect(shown.out).toContain('0 of 10 answered samples came from the response cache, 10 were requested');
    const json = await runCli(['show', 'june', '--results', results, '--json'], { env: env() });
    const p = (JSON.parse(json.out) as { provenance: ShownProvenance[] }).provenance;
    expect(p).toHaveLength(1);
    const [only] = p;
    expect(only!.changed).toBe(true);
    expect(only!.entries.map((e) => [e.servedModel, e.fingerprint, e.count])).toEqual([
      ['gpt-alias-0613', 'fp_old', 5],
      ['gpt-alias-1106', 'fp_new', 5],
    ]);
    // First seen of the new snapshot is not before the last of the old one.
    expect(only!.entries[1]!.firstSeen >= only!.entries[0]!.lastSeen).toBe(true);
    expect(only!.baseURLs).toEqual([server.url]);
    expect(only!.clients[0]).toMatch(/^openai-node \d+\.\d+\.\d+/);
    // Exported with the samples, and the seed of each sample is the one the server received.
    const exported = await runCli(['export', 'june', '--format', 'jsonl', '--results', results]);
    const rows = exported.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { probe: string; served_model: string; fingerprint: string; seed: number });
    expect(rows.map((r) => r.fingerprint).sort()).toEqual([...Array(5).fill('fp_new'), ...Array(5).fill('fp_old')]);
    const sent = new Map(
      server.requests
        .filter((r) => r.path === '/v1/chat/completions')
        .map((r) => {
          const body = r.body as { seed: number; messages: { content: string }[] };
          return [body.messages[0]!.content.replace('Question ', 'q'), body.seed] as const;
        }),
    );
    for (const r of rows) expect(sent.get(r.probe)).toBe(r.seed);
  });

  it('flags a change between two runs (--against) and says when nothing changed', async () => {
    await run('steady:gpt-alias', 'may');
    await run('steady:gpt-alias', 'may-again');
    const same = await runCli(['show', 'may-again', '--against', 'may', '--results', results], { env: env() });
    expect(same.code).toBe(0);
    expect(same.out).toContain('same answered models and fingerprints as run may');
    expect(same.out).not.toContain('!');
    // The drifting endpoint asked afresh: every answer now comes from the new snapshot (the cache would have
    // answered with the stored ones, and their provenance).
    await run('drifting:gpt-alias', 'july', '--fresh');
    const moved = await runCli(['show', 'july', '--against', 'june', '--results', results], { env: env() });
    expect(moved.out).toContain(
      '! drifting:gpt-alias: answered model changed since run june: gpt-alias-0613, gpt-alias-1106 -> gpt-alias-1106',
    );
    expect(moved.out).toContain('! drifting:gpt-alias: fingerprint changed since run june: fp_old, fp_new -> fp_new');
    const json = await runCli(['show', 'july', '--against', 'june', '--results', results, '--json'], { env: env() });
    const changes = (JSON.parse(json.out) as { changes: { what: string }[] }).changes;
    expect(changes.map((c) => c.what)).toEqual(['servedModel', 'fingerprint']);
  });
});

describe('Anthropic (no seed parameter)', () => {
  it('sends no seed and records none; keeps the answered model and the stop reason', async () => {
    await run('claude:claude-test', 'claude');
    const bodies = claude.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as { seed?: unknown });
    expect(bodies).toHaveLength(PROBES);
    expect(bodies.every((b) => b.seed === undefined)).toBe(true);
    const exported = await runCli(['export', 'claude', '--format', 'jsonl', '--results', results]);
    const rows = exported.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seed: unknown; served_model: string; finish_reason: string; client: string });
    for (const r of rows) {
      expect(r.seed).toBeNull();
      expect(r.served_model).toBe('claude-test');
      expect(r.finish_reason).toBe('end_turn');
      expect(r.client).toMatch(/^anthropic-sdk \d/);
    }
  });
});

describe('Ollama (digest from the listing)', () => {
  it("stores the model's digest, asked once per run, and the seed sent as options.seed", async () => {
    await run('box:llama-test', 'box');
    const listings = ollama.requests.filter((r) => r.path === '/api/tags');
    expect(listings).toHaveLength(1);
    const exported = await runCli(['export', 'box', '--format', 'jsonl', '--results', results]);
    const rows = exported.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { probe: string; seed: number; fingerprint: string; client: string });
    expect(new Set(rows.map((r) => r.fingerprint)).size).toBe(1);
    expect(rows[0]!.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rows[0]!.client).toMatch(/^ollama-js \d/);
    const sent = ollama.requests
      .filter((r) => r.path === '/api/chat')
      .map((r) => (r.body as { options: { seed: number } }).options.seed)
      .sort();
    expect(rows.map((r) => r.seed).sort()).toEqual(sent);
  });
});

describe('publicBaseURL', () => {
  it('drops user, password, query and fragment, keeps scheme, host, port and path', () => {
    expect(publicBaseURL('https://alice:s3cret-pass@api.example.com:8443/v1/?key=abc#x')).toBe(
      'https://api.example.com:8443/v1',
    );
    expect(publicBaseURL('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434');
    expect(publicBaseURL('lab://zoo-0123abcd')).toBe('lab://zoo-0123abcd');
    expect(publicBaseURL('')).toBe('');
    expect(publicBaseURL('not a url with token@host')).not.toContain('token');
  });
});
