// Our local vendor servers: the official clients accept what they send, fault plans apply per request, requests
// are recorded, and close() ends even with a request left hanging.
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import {
  startAnthropicServer,
  startOllamaServer,
  startOpenAIServer,
  tokenize,
} from '../../src/testing/servers/index.js';

describe('local servers', () => {
  it('openai: base64 embeddings (the SDK default) decode to the same vectors as float ones', async () => {
    const server = await startOpenAIServer({ embeddingDim: 12 });
    try {
      const client = new OpenAI({ apiKey: 'x', baseURL: server.url, maxRetries: 0 });
      const b64 = await client.embeddings.create({ model: 'e', input: ['alpha beta'] });
      const flt = await client.embeddings.create({ model: 'e', input: ['alpha beta'], encoding_format: 'float' });
      expect((server.requests[0]!.body as Record<string, unknown>).encoding_format).toBe('base64');
      const a = b64.data[0]!.embedding;
      const b = flt.data[0]!.embedding;
      expect(a).toHaveLength(12);
      for (const [i, v] of a.entries()) expect(v).toBeCloseTo(b[i]!, 6);
    } finally {
      await server.close();
    }
  });

  it('ollama: a streamed chat arrives as NDJSON chunks that join to the non-streamed text', async () => {
    const server = await startOllamaServer({ responder: (r) => `streamed reply to ${r.prompt}` });
    try {
      const client = new Ollama({ host: server.url });
      const whole = await client.chat({ model: 'test-model', messages: [{ role: 'user', content: 'you' }] });
      let joined = '';
      let chunks = 0;
      for await (const part of await client.chat({
        model: 'test-model',
        messages: [{ role: 'user', content: 'you' }],
        stream: true,
      })) {
        joined += part.message.content;
        chunks++;
      }
      expect(joined).toBe(whole.message.content);
      expect(chunks).toBe(tokenize(joined).length + 1);
      expect(server.requests.map((r) => (r.body as Record<string, unknown>).stream)).toEqual([false, true]);
    } finally {
      await server.close();
    }
  });

  it('a function fault plan sees each request; counts and max in flight are recorded', async () => {
    const server = await startAnthropicServer({
      latencyMs: 20,
      faults: (req) => (req.index % 2 === 1 ? { kind: 'status', status: 529, message: 'Overloaded' } : null),
    });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 6 }, () =>
          fetch(`${server.url}/v1/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'test-model', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
          }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 529)).toHaveLength(3);
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      expect(server.requests).toHaveLength(6);
      expect(server.requests.filter((r) => r.fault?.kind === 'status')).toHaveLength(3);
      expect(server.maxInFlight).toBeGreaterThan(1);
      expect(server.maxInFlight).toBeLessThanOrEqual(6);
    } finally {
      await server.close();
    }
  });

  it('close() ends a server with a request still hanging', async () => {
    const server = await startOpenAIServer({ faults: [{ kind: 'hang' }] });
    const pending = fetch(`${server.url}/models`).then(
      () => 'answered',
      () => 'dropped',
    );
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    expect(await pending).toBe('dropped');
  });
});
