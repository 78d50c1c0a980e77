// The lab server speaks the OpenAI and Ollama APIs well enough for their official clients; the lab provider serves
// the same models in process.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../src/lab/checkpoint.js';
import { initModel } from '../../src/lab/model.js';
import { createLabProvider } from '../../src/lab/provider.js';
import { startLabServer, type LabServer } from '../../src/lab/server.js';
import { generate } from '../../src/lab/decode.js';
import { loadCheckpoint } from '../../src/lab/checkpoint.js';
import { providerRegistry } from '../../src/commands/providers-setup.js';

const config = { vocab: 128, ctx: 32, d: 16, heads: 2, layers: 2, hidden: 32 };

describe('lab server and provider', () => {
  let dir: string;
  let server: LabServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'phylo-lab-serve-'));
    for (const [i, name] of ['alpha', 'beta'].entries()) {
      const model = initModel(config, 10 + i);
      await saveCheckpoint(
        path.join(dir, `${name}.safetensors`),
        model,
        {
          name,
          parent: null,
          lineage: [],
          datasets: [],
          steps: 0,
          seed: 10 + i,
          loss: 0,
          heldOut: {},
          config,
          fingerprint: 'test',
          tokens: 0,
          seconds: 0,
        },
        'F32',
      );
    }
    server = await startLabServer({ zooDir: dir });
  });

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers the OpenAI SDK: models, completions and chat with logprobs, streaming, and 404 for an unknown model', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test-dummy', maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(['alpha', 'beta']);

    const c = await client.completions.create({
      model: 'alpha',
      prompt: 'The whale',
      max_tokens: 12,
      temperature: 1,
      seed: 3,
      logprobs: 2,
    });
    expect(c.choices[0]!.text).toHaveLength(12);
    expect(c.choices[0]!.logprobs!.tokens).toHaveLength(12);
    expect(Object.keys(c.choices[0]!.logprobs!.top_logprobs![0]!)).toHaveLength(2);
    expect(c.usage!.completion_tokens).toBe(12);
    // The server's text is exactly the model's own seeded sample.
    const { model } = await loadCheckpoint(path.join(dir, 'alpha.safetensors'));
    expect(c.choices[0]!.text).toBe(generate(model, 'The whale', { maxTokens: 12, temperature: 1, seed: 3 }).text);
    // Provenance: the server says which zoo answered (its checkpoints' fingerprint), as the in-process provider does.
    expect(c.system_fingerprint).toMatch(/^zoo-[0-9a-f]{8}$/);
    const local = await createLabProvider({ zooDir: dir }).complete(
      { kind: 'prefix', model: 'alpha', prefix: 'The whale', sampling: { temperature: 1, maxTokens: 12, seed: 3 } },
      { signal: new AbortController().signal, timeoutMs: 10_000 },
    );
    expect(local.fingerprint).toBe(c.system_fingerprint);
    expect(local.text).toBe(c.choices[0]!.text);

    const chat = await client.chat.completions.create({
      model: 'beta',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 8,
      seed: 1,
      logprobs: true,
      top_logprobs: 3,
    });
    expect(chat.choices[0]!.message.content).toHaveLength(8);
    const lp = chat.choices[0]!.logprobs!.content!;
    expect(lp).toHaveLength(8);
    expect(lp[0]!.top_logprobs).toHaveLength(3);
    expect(lp.map((t) => t.token).join('')).toBe(chat.choices[0]!.message.content);

    const stream = await client.chat.completions.create({
      model: 'beta',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 8,
      seed: 1,
      stream: true,
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
    expect(streamed).toBe(chat.choices[0]!.message.content);

    await expect(client.completions.create({ model: 'nope', prompt: 'x', max_tokens: 2 })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('answers the Ollama client: tags, generate and chat, streaming NDJSON and not', async () => {
    const ollama = new Ollama({ host: server.url });
    const tags = await ollama.list();
    expect(tags.models.map((m) => m.name).sort()).toEqual(['alpha:latest', 'beta:latest']);

    const gen = await ollama.generate({
      model: 'alpha',
      prompt: 'The whale',
      raw: true,
      stream: false,
      options: { num_predict: 12, temperature: 1, seed: 3 },
    });
    expect(gen.done).toBe(true);
    expect(gen.eval_count).toBe(12);
    const viaOpenAI = await new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }).completions.create({
      model: 'alpha',
      prompt: 'The whale',
      max_tokens: 12,
      temperature: 1,
      seed: 3,
    });
    expect(gen.response).toBe(viaOpenAI.choices[0]!.text);

    const parts: string[] = [];
    let last: { done: boolean; done_reason?: string } | undefined;
    for await (const part of await ollama.generate({
      model: 'alpha:latest',
      prompt: 'The whale',
      raw: true,
      stream: true,
      options: { num_predict: 12, temperature: 1, seed: 3 },
    })) {
      parts.push(part.response ?? '');
      last = part;
    }
    expect(parts.join('')).toBe(gen.response);
    expect(last?.done).toBe(true);
    expect(last?.done_reason).toBe('length');

    const chat = await ollama.chat({
      model: 'beta',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: false,
      options: { num_predict: 6, seed: 2 },
    });
    expect(chat.message.content).toHaveLength(6);
    await expect(ollama.generate({ model: 'nope', prompt: 'x', stream: false })).rejects.toThrow(/not in the zoo/);
  });

  it('serves the same models in process as the lab provider', async () => {
    const provider = createLabProvider({ zooDir: dir });
    expect((await provider.listModels({ signal: new AbortController().signal, timeoutMs: 1000 })).sort()).toEqual([
      'alpha',
      'beta',
    ]);
    const res = await provider.complete(
      {
        kind: 'prefix',
        model: 'alpha',
        prefix: 'The whale',
        sampling: { temperature: 1, maxTokens: 12, seed: 3, topLogprobs: 1 },
      },
      { signal: new AbortController().signal, timeoutMs: 10_000 },
    );
    const viaHttp = await new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 }).completions.create({
      model: 'alpha',
      prompt: 'The whale',
      max_tokens: 12,
      temperature: 1,
      seed: 3,
    });
    expect(res.text).toBe(viaHttp.choices[0]!.text);
    expect(res.logprobs).toHaveLength(12);
    expect(res.usage).toEqual({ inputTokens: 9, outputTokens: 12 });
    // The registry resolves the `lab:` prefix to the same zoo (PHYLO_LAB_ZOO).
    const viaRegistry = providerRegistry.resolveProvider('lab', { env: { PHYLO_LAB_ZOO: dir } });
    expect(viaRegistry.kind).toBe('lab');
    expect((await viaRegistry.listModels({ signal: new AbortController().signal, timeoutMs: 1000 })).sort()).toEqual([
      'alpha',
      'beta',
    ]);
    await expect(
      provider.complete(
        { kind: 'prefix', model: 'nope', prefix: 'x', sampling: { temperature: 1, maxTokens: 2 } },
        { signal: new AbortController().signal, timeoutMs: 1000 },
      ),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });
});
