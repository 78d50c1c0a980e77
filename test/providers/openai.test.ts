// The OpenAI adapter through the official SDK against our OpenAI-protocol server.
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIServer, tokenize, type TestServer } from '../../src/testing/servers/index.js';
import { ProviderCallError } from '../../src/providers/provider.js';
import { KEY, call, localProvider, rejection, sampling } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const responder = (r: { prompt: string }) => `You asked: ${r.prompt}. The answer is forty two.`;

describe('openai adapter', () => {
  it('answers a chat probe with text, usage, finish reason, served model and logprobs', async () => {
    server = await startOpenAIServer({ responder, apiKey: KEY, models: ['gpt-test'] });
    const provider = localProvider('openai', server.url);
    const out = await provider.complete(
      {
        kind: 'chat',
        model: 'gpt-test',
        messages: [
          { role: 'system', content: 'Be terse.' },
          { role: 'user', content: 'What is six times seven' },
        ],
        sampling: sampling({ seed: 7, topP: 0.9, topLogprobs: 3 }),
      },
      call(),
    );
    const expected = responder({ prompt: 'What is six times seven' });
    expect(out.text).toBe(expected);
    expect(out.finishReason).toBe('stop');
    expect(out.servedModel).toBe('gpt-test');
    expect(out.temperatureUsed).toBe(0.5);
    expect(out.note).toBeUndefined();
    expect(out.usage).toEqual({ inputTokens: 7, outputTokens: tokenize(expected).length });
    expect(out.logprobs!.map((t) => t.token).join('')).toBe(expected);
    for (const t of out.logprobs!) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.top).toHaveLength(3);
      expect(t.top![0]!.token).toBe(t.token);
    }
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
    expect(body).toMatchObject({
      model: 'gpt-test',
      temperature: 0.5,
      max_tokens: 64,
      seed: 7,
      top_p: 0.9,
      logprobs: true,
      top_logprobs: 3,
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'What is six times seven' },
    ]);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('asks for no logprobs unless the probe wants them, and honours maxTokensField', async () => {
    server = await startOpenAIServer({ responder });
    const provider = localProvider('openai', server.url, { maxTokensField: 'max_completion_tokens' });
    const out = await provider.complete(
      {
        kind: 'chat',
        model: 'test-model',
        messages: [{ role: 'user', content: 'one two three' }],
        sampling: sampling({ maxTokens: 4 }),
      },
      call(),
    );
    expect(out.logprobs).toBeUndefined();
    expect(out.finishReason).toBe('length');
    expect(out.usage.outputTokens).toBe(4);
    expect(out.text).toBe(
      tokenize(responder({ prompt: 'one two three' }))
        .slice(0, 4)
        .join(''),
    );
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(4);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('logprobs');
  });

  it('continues a raw prefix through /v1/completions with legacy logprobs', async () => {
    server = await startOpenAIServer({ responder: (r) => `${r.prompt} there lived a model` });
    const provider = localProvider('openai', server.url);
    const out = await provider.complete(
      { kind: 'prefix', model: 'test-model', prefix: 'Once upon a time', sampling: sampling({ topLogprobs: 2 }) },
      call(),
    );
    expect(server.requests[0]!.path).toBe('/v1/completions');
    expect((server.requests[0]!.body as Record<string, unknown>).prompt).toBe('Once upon a time');
    expect((server.requests[0]!.body as Record<string, unknown>).logprobs).toBe(2);
    expect(out.text).toBe('Once upon a time there lived a model');
    expect(out.logprobs).toHaveLength(tokenize(out.text).length);
    for (const t of out.logprobs!) {
      expect(t.top!.length).toBe(2);
      // alternatives sorted most likely first, and the chosen token is the most likely
      expect(t.top![0]!.logprob).toBeGreaterThanOrEqual(t.top![1]!.logprob);
      expect(t.top![0]!.token).toBe(t.token);
    }
  });

  it('refuses a prefix probe when the profile says the server has no completions endpoint', async () => {
    server = await startOpenAIServer();
    const provider = localProvider('openai', server.url, { capabilities: { rawCompletion: false } });
    expect(provider.capabilities.rawCompletion).toBe(false);
    const err = await rejection(
      provider.complete({ kind: 'prefix', model: 'test-model', prefix: 'x', sampling: sampling() }, call()),
    );
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err.kind).toBe('unsupported');
    expect(server.requests).toHaveLength(0);
  });

  it('lists models and embeds texts', async () => {
    server = await startOpenAIServer({ models: ['b-model', 'a-model', 'text-embed'], embeddingDim: 16 });
    const provider = localProvider('openai', server.url);
    expect(await provider.listModels(call())).toEqual(['a-model', 'b-model', 'text-embed']);
    const [a, b, c] = await provider.embed!(
      'text-embed',
      ['the cat sat on the mat', 'the cat sat on a mat', 'quarterly revenue grew'],
      call(),
    );
    expect(a).toBeInstanceOf(Float64Array);
    expect(a).toHaveLength(16);
    const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 6);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    expect((server.requests.at(-1)!.body as Record<string, unknown>).encoding_format).toBe('float');
  });

  it('samples a default-only model (profile regex) at its default and says so', async () => {
    server = await startOpenAIServer({ models: ['o3-test'], defaultTemperatureOnly: ['o3-test'] });
    const provider = localProvider('openai', server.url, {
      temperature: { default: 1, max: 2, defaultOnly: ['^o[1-9]'] },
    });
    expect(provider.temperatureRule('o3-test')).toEqual({ kind: 'default-only', value: 1 });
    expect(provider.temperatureRule('gpt-test')).toEqual({ kind: 'any', max: 2 });
    const out = await provider.complete(
      {
        kind: 'chat',
        model: 'o3-test',
        messages: [{ role: 'user', content: 'hi' }],
        sampling: sampling({ temperature: 0 }),
      },
      call(),
    );
    expect(out.temperatureUsed).toBe(1);
    expect(out.note).toMatch(/temperature 0 not accepted by o3-test; sampled at its default 1/);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).not.toHaveProperty('temperature');
  });

  it('learns a default-only model from a 400 about temperature, retries once, and remembers', async () => {
    server = await startOpenAIServer({ defaultTemperatureOnly: ['test-model'] });
    const provider = localProvider('openai', server.url);
    const req = {
      kind: 'chat' as const,
      model: 'test-model',
      messages: [{ role: 'user' as const, content: 'hi' }],
      sampling: sampling({ temperature: 0.2 }),
    };
    const first = await provider.complete(req, call());
    expect(first.temperatureUsed).toBe(1);
    expect(first.note).toContain('sampled at its default 1');
    expect(server.requests).toHaveLength(2);
    expect((server.requests[0]!.body as Record<string, unknown>).temperature).toBe(0.2);
    expect(server.requests[1]!.body).not.toHaveProperty('temperature');
    await provider.complete(req, call());
    expect(server.requests).toHaveLength(3);
    expect(provider.temperatureRule('test-model').kind).toBe('default-only');
  });

  it('prices models from the profile table', () => {
    const provider = localProvider('openai', 'http://127.0.0.1:9/v1', {
      prices: { 'gpt-4o*': { input: 2.5, output: 10 }, 'gpt-4o-mini*': { input: 0.15, output: 0.6 } },
    });
    expect(provider.price('gpt-4o-mini-2024-07-18')).toEqual({ inputPerMTok: 0.15, outputPerMTok: 0.6 });
    expect(provider.price('gpt-4o-2024-08-06')).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });
    expect(provider.price('unknown')).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
  });
});
