// Every provider, through its official SDK against our local server, classifies each fault the same way.
import { afterEach, describe, expect, it } from 'vitest';
import {
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type ServerOptions,
  type TestServer,
} from '../../src/testing/servers/index.js';
import { ProviderCallError } from '../../src/providers/provider.js';
import { call, closedPort, localProvider, rejection, sampling } from './helpers.js';

const kinds = [
  ['openai', startOpenAIServer],
  ['anthropic', startAnthropicServer],
  ['ollama', startOllamaServer],
] as const;

describe.each(kinds)('%s faults', (kind, start) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function failOnce(options: ServerOptions, timeoutMs = 2000): Promise<ProviderCallError> {
    server = await start(options);
    const provider = localProvider(kind, server.url);
    const err = await rejection(
      provider.complete(
        { kind: 'chat', model: 'test-model', messages: [{ role: 'user', content: 'hi' }], sampling: sampling() },
        call(timeoutMs),
      ),
    );
    expect(err).toBeInstanceOf(ProviderCallError);
    return err as ProviderCallError;
  }

  it('429 with Retry-After in seconds: rate_limit with retryAfterMs', async () => {
    const err = await failOnce({ faults: [{ kind: '429', retryAfter: '3' }] });
    expect(err.kind).toBe('rate_limit');
    expect(err.retryAfterMs).toBe(3000);
    expect(err.status).toBe(429);
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('local:test-model');
  });

  it('429 with retry-after-ms wins over Retry-After', async () => {
    const err = await failOnce({ faults: [{ kind: '429', retryAfter: '9', retryAfterMs: 250 }] });
    expect(err.kind).toBe('rate_limit');
    expect(err.retryAfterMs).toBe(250);
  });

  it('429 with Retry-After as an HTTP date', async () => {
    const when = new Date(Date.now() + 60_000).toUTCString();
    const err = await failOnce({ faults: [{ kind: '429', retryAfter: when }] });
    expect(err.kind).toBe('rate_limit');
    // An HTTP date has one-second resolution and the clock moves on: a little under a minute.
    expect(err.retryAfterMs).toBeGreaterThan(50_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('500: server, retryable, and the SDK did not retry by itself', async () => {
    const err = await failOnce({ faults: [{ kind: '500' }] });
    expect(err.kind).toBe('server');
    expect(err.retryable).toBe(true);
    expect(server!.requests).toHaveLength(1);
  });

  it('a hung request ends as a timeout within the timeout', async () => {
    const err = await failOnce({ faults: [{ kind: 'hang' }] }, 300);
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain('300 ms');
    expect(server!.requests).toHaveLength(1);
  });

  it('malformed JSON: bad_response', async () => {
    const err = await failOnce({ faults: [{ kind: 'malformed' }] });
    expect(err.kind).toBe('bad_response');
    expect(err.retryable).toBe(true);
  });

  it('a dropped connection: connection', async () => {
    const err = await failOnce({ faults: [{ kind: 'drop' }] });
    expect(err.kind).toBe('connection');
    expect(err.message).toContain('closed the connection');
    expect(server!.requests).toHaveLength(1);
  });

  it('401: auth, not retryable', async () => {
    const err = await failOnce({ faults: [{ kind: 'status', status: 401, message: 'invalid x-api-key' }] });
    expect(err.kind).toBe('auth');
    expect(err.retryable).toBe(false);
  });

  it('an unknown model: not_found', async () => {
    server = await start({ models: ['other-model'] });
    const provider = localProvider(kind, server.url);
    const err = await rejection(
      provider.complete(
        { kind: 'chat', model: 'test-model', messages: [{ role: 'user', content: 'hi' }], sampling: sampling() },
        call(),
      ),
    );
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err.kind).toBe('not_found');
  });

  it('400: bad_request, with the server message', async () => {
    const err = await failOnce({ faults: [{ kind: 'status', status: 400, message: 'messages: field required' }] });
    expect(err.kind).toBe('bad_request');
    expect(err.message).toContain('messages: field required');
  });

  it('a server that is not there: connection, naming the host', async () => {
    const port = await closedPort();
    const provider = localProvider(
      kind,
      kind === 'openai' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`,
    );
    const err = await rejection(provider.listModels(call()));
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err.kind).toBe('connection');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toContain('connection refused');
  });

  it('cancelled by the caller: an AbortError, not a classified failure', async () => {
    server = await start({ faults: [{ kind: 'hang' }] });
    const provider = localProvider(kind, server.url);
    const controller = new AbortController();
    const pending = provider.complete(
      { kind: 'chat', model: 'test-model', messages: [{ role: 'user', content: 'hi' }], sampling: sampling() },
      call(10_000, controller.signal),
    );
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const err = await rejection(pending);
    expect(err).not.toBeInstanceOf(ProviderCallError);
    expect(err.name).toBe('AbortError');
  });

  it("the caller's own AbortSignal.timeout counts as a timeout; another abort reason is passed through", async () => {
    server = await start({ faults: [{ kind: 'hang' }, { kind: 'hang' }] });
    const provider = localProvider(kind, server.url);
    const req = {
      kind: 'chat' as const,
      model: 'test-model',
      messages: [{ role: 'user' as const, content: 'hi' }],
      sampling: sampling(),
    };
    const timedOut = await rejection(provider.complete(req, call(10_000, AbortSignal.timeout(200))));
    expect(timedOut).toBeInstanceOf(ProviderCallError);
    expect(timedOut.kind).toBe('timeout');
    const controller = new AbortController();
    const reason = new ProviderCallError('timeout', 'scheduler deadline');
    const pending = provider.complete(req, call(10_000, controller.signal));
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
  });

  it('a fault, then a normal answer: the provider recovers on the next call', async () => {
    server = await start({ faults: [{ kind: '500' }] });
    const provider = localProvider(kind, server.url);
    const req = {
      kind: 'chat' as const,
      model: 'test-model',
      messages: [{ role: 'user' as const, content: 'again' }],
      sampling: sampling(),
    };
    expect((await rejection(provider.complete(req, call()))).kind).toBe('server');
    const ok = await provider.complete(req, call());
    expect(ok.text).toBe('test-model says: again');
    expect(server.requests.map((r) => r.fault?.kind ?? 'ok')).toEqual(['500', 'ok']);
  });
});
