// An API key set in the environment never appears in an error message, a stack, a printed line or a provider
// object, even when the server echoes it back (our servers do, on purpose, in their 401 bodies).
import { inspect } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type Fault,
  type TestServer,
} from '../../src/testing/servers/index.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { call, localProvider, rejection, sampling } from './helpers.js';

const SECRET = ['sk', 'leak-ZYXWVUTSRQPONMLKJIHGFEDCBA9876'].join('-');

/** No 8-character run of the secret anywhere in the text. */
function expectNoSecret(text: string): void {
  for (let i = 0; i + 8 <= SECRET.length; i++) expect(text).not.toContain(SECRET.slice(i, i + 8));
}

const kinds = [
  ['openai', startOpenAIServer],
  ['anthropic', startAnthropicServer],
  ['ollama', startOllamaServer],
] as const;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.unstubAllEnvs();
});

describe.each(kinds)('%s: the key stays secret', (kind, start) => {
  it('a 401 that echoes the key: the message, stack and fields carry no part of it', async () => {
    server = await start({ apiKey: 'the-right-key' });
    const provider = localProvider(kind, server.url, {}, { LOCAL_KEY: SECRET });
    // The key was really sent (so the server really echoed it).
    await rejection(provider.listModels(call()));
    const sent = JSON.stringify(server!.requests[0]!.headers);
    expect(sent).toContain(SECRET);
    const err = await rejection(
      provider.complete(
        { kind: 'chat', model: 'test-model', messages: [{ role: 'user', content: 'hi' }], sampling: sampling() },
        call(),
      ),
    );
    expect(err.kind).toBe('auth');
    expectNoSecret(err.message);
    expectNoSecret(String(err.stack));
    expectNoSecret(JSON.stringify(err));
    expectNoSecret(inspect(err, { depth: 5 }));
    expectNoSecret(JSON.stringify(provider));
    expectNoSecret(inspect(provider, { depth: 5 }));
  });

  it.each<[string, Fault]>([
    ['429', { kind: '429', retryAfter: '1' }],
    ['500', { kind: '500' }],
    ['hang', { kind: 'hang' }],
    ['malformed', { kind: 'malformed' }],
    ['drop', { kind: 'drop' }],
  ])('fault %s: no part of the key in the message', async (_name, fault) => {
    server = await start({ faults: [fault] });
    const provider = localProvider(kind, server.url, {}, { LOCAL_KEY: SECRET });
    const err = await rejection(
      provider.complete(
        { kind: 'chat', model: 'test-model', messages: [{ role: 'user', content: 'hi' }], sampling: sampling() },
        call(300),
      ),
    );
    expect(typeof err.kind).toBe('string');
    expectNoSecret(err.message);
    expectNoSecret(inspect(err, { depth: 5 }));
  });
});

it('phylo models with a rejected key prints no part of it', async () => {
  server = await startOpenAIServer({ apiKey: 'the-right-key' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-leak-'));
  fs.writeFileSync(
    path.join(dir, 'leaky.yaml'),
    `name: leaky\nkind: openai\nbaseURL: ${server.url}\nkeyEnv: PHYLO_TEST_LEAK_KEY\n`,
  );
  vi.stubEnv('PHYLO_TEST_LEAK_KEY', SECRET);
  let printed: CliRun;
  try {
    printed = await runCli(['models', 'leaky', '--profiles', dir]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(printed.code).toBe(2);
  expect(printed.out + printed.err).toContain('not authorised (HTTP 401)');
  expectNoSecret(printed.out);
  expectNoSecret(printed.err);
});
