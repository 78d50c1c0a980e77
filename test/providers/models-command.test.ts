// `phylo models` through the CLI's main(): discoveries from our local servers, and one clear line for each way a
// provider can be unusable (unknown prefix, missing key, server down), exit code 2 when the command cannot proceed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type TestServer,
} from '../../src/testing/servers/index.js';
import { runCli } from '../helpers/run-cli.js';
import { KEY, closedPort } from './helpers.js';

let servers: TestServer[] = [];
let dir = '';
let results = '';
let downPort = 0;

beforeAll(async () => {
  const oa = await startOpenAIServer({
    apiKey: KEY,
    models: ['gpt-local', 'evil\u001b]0;pwned\u0007\u001b[31m-model'],
  });
  const an = await startAnthropicServer({ apiKey: KEY, models: ['claude-local'] });
  const ol = await startOllamaServer({ models: ['llama-local:1b', 'qwen-local:0.5b'] });
  servers = [oa, an, ol];
  downPort = await closedPort();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-models-'));
  results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-results-'));
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, `${name}.yaml`), text);
  write('oa', `name: oa\nkind: openai\nbaseURL: ${oa.url}\nkeyEnv: PHYLO_TEST_OA_KEY\n`);
  write('an', `name: an\nkind: anthropic\nbaseURL: ${an.url}\nkeyEnv: PHYLO_TEST_AN_KEY\n`);
  write('ol', `name: ol\nkind: ollama\nbaseURL: ${ol.url}\n`);
  write('down', `name: down\nkind: ollama\nbaseURL: http://127.0.0.1:${downPort}\n`);
  write('nokey', `name: nokey\nkind: openai\nbaseURL: ${oa.url}\nkeyEnv: PHYLO_TEST_MISSING_KEY\n`);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(results, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

function keys() {
  vi.stubEnv('PHYLO_TEST_OA_KEY', KEY);
  vi.stubEnv('PHYLO_TEST_AN_KEY', KEY);
}

describe('phylo models', () => {
  it('--json: every configured provider, what it offers or why it cannot be used', async () => {
    keys();
    const { code, out } = await runCli(['models', '--profiles', dir, '--results', results, '--json']);
    expect(code).toBe(0);
    const found = JSON.parse(out) as { provider: string; status: string; models?: string[]; reason?: string }[];
    const by = new Map(found.map((d) => [d.provider, d]));
    expect(by.get('oa')).toMatchObject({
      status: 'ok',
      models: ['evil\u001b]0;pwned\u0007\u001b[31m-model', 'gpt-local'].sort(),
    });
    expect(by.get('an')).toMatchObject({
      status: 'ok',
      models: ['claude-local'],
      capabilities: { chat: true, logprobs: false },
    });
    expect(by.get('ol')).toMatchObject({ status: 'ok', models: ['llama-local:1b', 'qwen-local:0.5b'] });
    expect(by.get('down')!.status).toBe('unavailable');
    expect(by.get('down')!.reason).toContain(`cannot reach http://127.0.0.1:${downPort}`);
    expect(by.get('nokey')).toMatchObject({ status: 'unavailable', reason: 'no API key: set PHYLO_TEST_MISSING_KEY' });
  });

  it('text: one line per provider, models as refs, model ids stripped of control sequences', async () => {
    keys();
    const { code, out } = await runCli(['models', '--profiles', dir, '--results', results]);
    expect(code).toBe(0);
    expect(out).toMatch(/^ol\s+2 models at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toContain('  ol:llama-local:1b\n');
    expect(out).toMatch(/^nokey\s+unavailable: no API key: set PHYLO_TEST_MISSING_KEY$/m);
    expect(out).toMatch(/^down\s+unavailable: cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused/m);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u0007');
    expect(out).toContain('oa:evil');
  });

  it('one provider: its models, exit 0', async () => {
    const { code, out, err } = await runCli(['models', 'ol', '--profiles', dir]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out.trim().split('\n')).toHaveLength(3);
  });

  it('an unknown prefix: exit 2, one line listing the known prefixes', async () => {
    const { code, out, err } = await runCli(['models', 'gemini', '--profiles', dir]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(
      /^phylo: unknown provider "gemini": known prefixes are .*\ban\b.*\bdown\b.*\bnokey\b.*\boa\b.*\bol\b/,
    );
  });

  it('a missing key: exit 2, one line naming the variable', async () => {
    const { code, err } = await runCli(['models', 'nokey', '--profiles', dir]);
    expect(code).toBe(2);
    expect(err).toBe('phylo: provider nokey is unavailable: no API key: set PHYLO_TEST_MISSING_KEY\n');
  });

  it('an unreachable Ollama (shipped profile, OLLAMA_HOST): exit 2, one line naming the host', async () => {
    vi.stubEnv('OLLAMA_HOST', `127.0.0.1:${downPort}`);
    vi.stubEnv('PHYLO_PROFILES', '');
    const { code, err } = await runCli(['models', 'ollama', '--timeout', '2000']);
    expect(code).toBe(2);
    expect(err).toBe(
      `phylo: provider ollama is unavailable: cannot reach http://127.0.0.1:${downPort}: connection refused (is the server running?)\n`,
    );
  });

  it('a malformed profile: exit 2, one line naming the file and the field', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bad-'));
    try {
      fs.writeFileSync(path.join(bad, 'x.yaml'), 'name: x\nkind: openai\nrateLimit:\n  maxConcurrency: -3\n');
      const { code, err } = await runCli(['models', '--profiles', bad]);
      expect(code).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toContain(`${path.join(bad, 'x.yaml')}: field "rateLimit.maxConcurrency"`);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  it('a bad --timeout is bad input', async () => {
    const { code, err } = await runCli(['models', '--timeout', 'soon', '--profiles', dir]);
    expect(code).toBe(2);
    expect(err).toContain('--timeout soon');
  });
});
