// The per-answer byte cap (profile maxAnswerBytes, issue 15) in every adapter: an answer over it comes back cut at the
// cap and marked `truncated`, in each protocol's wire format; an error body over it stays an error.
import { afterEach, describe, expect, it } from 'vitest';
import type { CompletionRequest } from '../../src/providers/provider.js';
import {
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  type ServerOptions,
  type TestServer,
} from '../../src/testing/servers/index.js';
import { call, localProvider, rejection, sampling } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const CAP = 4096;
/** What every huge answer of our servers starts with (an OSC title sequence). */
const HOSTILE = '\u001b]0;pwned\u0007';
const chat: CompletionRequest = {
  kind: 'chat',
  model: 'test-model',
  messages: [{ role: 'user', content: 'say x forever' }],
  sampling: sampling({ temperature: 0.7 }),
};
const prefix: CompletionRequest = { kind: 'prefix', model: 'test-model', prefix: 'x x x', sampling: sampling() };

const KINDS = [
  ['openai', startOpenAIServer, chat],
  ['anthropic', startAnthropicServer, chat],
  ['ollama', startOllamaServer, chat],
  ['ollama', startOllamaServer, prefix],
] as const satisfies readonly (readonly [string, (o: ServerOptions) => Promise<TestServer>, CompletionRequest])[];

describe.each(KINDS)('%s adapter, %s server (%#)', (kind, start, request) => {
  it(`cuts a 1 MB ${request.kind} answer at maxAnswerBytes and marks it truncated`, async () => {
    server = await start({ faults: () => ({ kind: 'huge', bytes: 1_000_000 }) });
    const provider = localProvider(kind, server.url, { maxAnswerBytes: CAP });
    const out = await provider.complete(request, call(10_000));
    expect(out.finishReason).toBe('truncated');
    expect(out.note).toBe(`answer cut at ${CAP} bytes (the profile's maxAnswerBytes); usage unknown`);
    expect(out.temperatureUsed).toBe(request.sampling.temperature);
    // The text is the answer's string up to the cut: its hostile start, then x's; the JSON before it is not counted.
    expect(out.text.startsWith(HOSTILE)).toBe(true);
    expect(out.text.length).toBeGreaterThan(CAP - 300);
    expect(out.text.length).toBeLessThan(CAP);
    expect(/^x+$/.test(out.text.slice(HOSTILE.length))).toBe(true);
  });

  it('an answer under the cap is whole', async () => {
    server = await start({ responder: () => 'short answer' });
    const provider = localProvider(kind, server.url, { maxAnswerBytes: CAP });
    const out = await provider.complete(request, call());
    expect(out.text).toBe('short answer');
    expect(out.finishReason).not.toBe('truncated');
  });

  it('an error body over the cap is still an error with its status, not a cut answer', async () => {
    const message = `overloaded ${'e'.repeat(100_000)}`;
    server = await start({ faults: [{ kind: 'status', status: 503, message }] });
    const provider = localProvider(kind, server.url, { maxAnswerBytes: CAP });
    const err = await rejection(provider.complete(request, call()));
    expect(err).toMatchObject({ kind: 'server', status: 503 });
  });
});

describe('the default cap', () => {
  it.each([
    ['anthropic', startAnthropicServer],
    ['ollama', startOllamaServer],
  ] as const)('%s: 1 MiB when the profile sets none', async (kind, start) => {
    server = await start({ faults: () => ({ kind: 'huge', bytes: 3 * 1024 * 1024 }) });
    const provider = localProvider(kind, server.url);
    const out = await provider.complete(chat, call(10_000));
    expect(out.finishReason).toBe('truncated');
    expect(out.note).toMatch(/cut at 1048576 bytes/);
    expect(out.text.length).toBeGreaterThan(1_048_000);
    expect(out.text.length).toBeLessThanOrEqual(1_048_576);
  });
});
