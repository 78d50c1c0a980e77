// The Ollama adapter through the official `ollama` client against our Ollama-protocol server.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOllamaServer, tokenize, type TestServer } from '../../src/testing/servers/index.js';
import { call, localProvider, rejection, sampling } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

const noKey = { keyEnv: undefined };

describe('ollama adapter', () => {
  it('answers a chat probe through /api/chat with stream:false and the sampling options', async () => {
    server = await startOllamaServer({ responder: (r) => `Hello, ${r.prompt}!`, models: ['llama-test'] });
    const provider = localProvider('ollama', server.url, noKey, {});
    const out = await provider.complete(
      {
        kind: 'chat',
        model: 'llama-test',
        messages: [{ role: 'user', content: 'world' }],
        sampling: sampling({ seed: 3, topP: 0.5 }),
      },
      call(),
    );
    expect(out).toMatchObject({
      text: 'Hello, world!',
      finishReason: 'stop',
      temperatureUsed: 0.5,
      servedModel: 'llama-test',
    });
    expect(out.usage).toEqual({ inputTokens: 1, outputTokens: 2 });
    const req = server.requests[0]!;
    expect(req.path).toBe('/api/chat');
    expect(req.body).toMatchObject({
      model: 'llama-test',
      stream: false,
      options: { temperature: 0.5, num_predict: 64, seed: 3, top_p: 0.5 },
    });
    expect(req.headers.authorization).toBeUndefined();
  });

  it('continues a raw prefix through /api/generate with raw:true, with logprobs', async () => {
    server = await startOllamaServer({ responder: (r) => `${r.prompt} a long way` });
    const provider = localProvider('ollama', server.url, noKey, {});
    const out = await provider.complete(
      { kind: 'prefix', model: 'test-model', prefix: 'It was', sampling: sampling({ maxTokens: 3, topLogprobs: 2 }) },
      call(),
    );
    expect(out.text).toBe('It was a');
    expect(out.finishReason).toBe('length');
    expect(out.logprobs!.map((t) => t.token)).toEqual(tokenize('It was a'));
    expect(out.logprobs!.every((t) => t.top!.length === 2 && t.top![0]!.token === t.token)).toBe(true);
    expect(server.requests[0]!.body).toMatchObject({
      prompt: 'It was',
      raw: true,
      stream: false,
      logprobs: true,
      top_logprobs: 2,
    });
  });

  it("describes a model by its listing's digest (provenance; an answer carries none)", async () => {
    server = await startOllamaServer({ models: ['llama-test', 'qwen:7b'] });
    const provider = localProvider('ollama', server.url, noKey, {});
    const listed = await provider.describeModel!('llama-test', call());
    expect(listed.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await provider.describeModel!('qwen:7b', call())).fingerprint).not.toBe(listed.fingerprint);
    expect(await provider.describeModel!('absent', call())).toEqual({});
  });

  it('lists local models and embeds', async () => {
    server = await startOllamaServer({ models: ['qwen:0.5b', 'llama3.2:1b'], embeddingDim: 8 });
    const provider = localProvider('ollama', server.url, noKey, {});
    expect(await provider.listModels(call())).toEqual(['llama3.2:1b', 'qwen:0.5b']);
    const vectors = await provider.embed!('qwen:0.5b', ['a b c', 'a b c', 'zzz'], call());
    expect(vectors).toHaveLength(3);
    expect([...vectors[0]!]).toEqual([...vectors[1]!]);
    expect([...vectors[0]!]).not.toEqual([...vectors[2]!]);
  });

  it('takes its host from OLLAMA_HOST when the profile has none', async () => {
    server = await startOllamaServer();
    const host = server.url.replace('http://', '');
    const provider = localProvider(
      'ollama',
      server.url,
      { baseURL: undefined, baseURLEnv: 'OLLAMA_HOST', keyEnv: undefined },
      { OLLAMA_HOST: host },
    );
    expect(provider.baseURL).toBe(server.url);
    expect(await provider.listModels(call())).toEqual(['test-model']);
  });

  it('does not let the client print to stdout on a non-JSON error body', async () => {
    server = await startOllamaServer({
      faults: [{ kind: 'status', status: 502, message: 'bad gateway', headers: { 'content-type': 'text/plain' } }],
    });
    const log = vi.spyOn(console, 'log');
    const provider = localProvider('ollama', server.url, noKey, {});
    const err = await rejection(
      provider.complete(
        { kind: 'chat', model: 'test-model', messages: [{ role: 'user', content: 'x' }], sampling: sampling() },
        call(),
      ),
    );
    expect(err.kind).toBe('server');
    expect(err.status).toBe(502);
    expect(log).not.toHaveBeenCalled();
  });
});
