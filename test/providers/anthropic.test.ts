// The Anthropic adapter through the official SDK against our Anthropic-protocol server.
import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicServer, tokenize, type TestServer } from '../../src/testing/servers/index.js';
import { ProviderCallError } from '../../src/providers/provider.js';
import { KEY, call, localProvider, rejection, sampling } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const responder = (r: { prompt: string; messages: readonly { role: string; content: string }[] }) =>
  `${r.messages[0]?.role === 'system' ? '[sys] ' : ''}Re: ${r.prompt}`;

describe('anthropic adapter', () => {
  it('sends system messages in `system` and answers with text, usage and stop reason', async () => {
    server = await startAnthropicServer({ responder, apiKey: KEY, models: ['claude-test'] });
    const provider = localProvider('anthropic', server.url, { temperature: { default: 1, max: 1 } });
    expect(provider.capabilities).toMatchObject({ chat: true, logprobs: false, rawCompletion: false, seed: false });
    const out = await provider.complete(
      {
        kind: 'chat',
        model: 'claude-test',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Name a colour' },
        ],
        sampling: sampling({ temperature: 0.3 }),
      },
      call(),
    );
    expect(out.text).toBe('[sys] Re: Name a colour');
    expect(out.finishReason).toBe('end_turn');
    expect(out.usage).toEqual({ inputTokens: 6, outputTokens: tokenize(out.text).length });
    expect(out.servedModel).toBe('claude-test');
    expect(out.temperatureUsed).toBe(0.3);
    expect(out.logprobs).toBeUndefined();
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'claude-test', system: 'You are terse.', max_tokens: 64, temperature: 0.3 });
    expect(body.messages).toEqual([{ role: 'user', content: 'Name a colour' }]);
    // SDK 1.x sends the key as a bearer token; earlier versions used x-api-key.
    const headers = server.requests[0]!.headers;
    expect(headers['x-api-key'] === KEY || headers.authorization === `Bearer ${KEY}`).toBe(true);
  });

  it('reports max_tokens when the answer is cut', async () => {
    server = await startAnthropicServer({ responder: () => 'one two three four five six' });
    const provider = localProvider('anthropic', server.url);
    const out = await provider.complete(
      {
        kind: 'chat',
        model: 'test-model',
        messages: [{ role: 'user', content: 'count' }],
        sampling: sampling({ maxTokens: 3 }),
      },
      call(),
    );
    expect(out.text).toBe('one two three');
    expect(out.finishReason).toBe('max_tokens');
    expect(out.usage.outputTokens).toBe(3);
  });

  it('clamps a temperature above the maximum and says so', async () => {
    server = await startAnthropicServer();
    const provider = localProvider('anthropic', server.url, { temperature: { default: 1, max: 1 } });
    const out = await provider.complete(
      {
        kind: 'chat',
        model: 'test-model',
        messages: [{ role: 'user', content: 'hi' }],
        sampling: sampling({ temperature: 1.5 }),
      },
      call(),
    );
    expect(out.temperatureUsed).toBe(1);
    expect(out.note).toContain('above the maximum');
    expect((server.requests[0]!.body as Record<string, unknown>).temperature).toBe(1);
  });

  it('samples a model that rejects non-default temperature at the default, records it, and remembers', async () => {
    server = await startAnthropicServer({ models: ['claude-new'], defaultTemperatureOnly: ['claude-new'] });
    const provider = localProvider('anthropic', server.url, { temperature: { default: 1, max: 1 } });
    expect(provider.temperatureRule('claude-new').kind).toBe('any');
    const req = {
      kind: 'chat' as const,
      model: 'claude-new',
      messages: [{ role: 'user' as const, content: 'hi' }],
      sampling: sampling({ temperature: 0 }),
    };
    const out = await provider.complete(req, call());
    expect(out.temperatureUsed).toBe(1);
    expect(out.note).toBe('temperature 0 not accepted by claude-new; sampled at its default 1');
    expect(server.requests.map((r) => (r.body as Record<string, unknown>).temperature)).toEqual([0, undefined]);
    expect(provider.temperatureRule('claude-new')).toEqual({ kind: 'default-only', value: 1 });
    const again = await provider.complete(req, call());
    expect(again.temperatureUsed).toBe(1);
    expect(server.requests).toHaveLength(3);
  });

  it('uses the profile rule without a failed request first', async () => {
    server = await startAnthropicServer({ models: ['claude-new'], defaultTemperatureOnly: ['claude-new'] });
    const provider = localProvider('anthropic', server.url, {
      temperature: { default: 1, max: 1, defaultOnly: ['^claude-new$'] },
    });
    const out = await provider.complete(
      {
        kind: 'chat',
        model: 'claude-new',
        messages: [{ role: 'user', content: 'hi' }],
        sampling: sampling({ temperature: 0.2 }),
      },
      call(),
    );
    expect(out.temperatureUsed).toBe(1);
    expect(out.note).toContain('not accepted');
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a 400 that is not about temperature', async () => {
    server = await startAnthropicServer({
      faults: [{ kind: 'status', status: 400, message: 'messages: roles must alternate' }],
    });
    const provider = localProvider('anthropic', server.url);
    const err = await rejection(
      provider.complete(
        { kind: 'chat', model: 'test-model', messages: [{ role: 'user', content: 'hi' }], sampling: sampling() },
        call(),
      ),
    );
    expect(err.kind).toBe('bad_request');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses raw prefixes as unsupported without a request', async () => {
    server = await startAnthropicServer();
    const provider = localProvider('anthropic', server.url);
    const err = await rejection(
      provider.complete({ kind: 'prefix', model: 'test-model', prefix: 'Once', sampling: sampling() }, call()),
    );
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err.kind).toBe('unsupported');
    expect(server.requests).toHaveLength(0);
  });

  it('lists models', async () => {
    server = await startAnthropicServer({ models: ['claude-b', 'claude-a'] });
    const provider = localProvider('anthropic', server.url);
    expect(await provider.listModels(call())).toEqual(['claude-a', 'claude-b']);
    expect(server.requests[0]!.path).toBe('/v1/models');
  });
});
