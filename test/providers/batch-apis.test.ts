// The OpenAI Batch and Anthropic Message Batches adapters, through the official SDKs against our wire servers:
// upload and create, state progression, results with errored requests, expiry, cancel, finding an unrecorded batch.
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchApi, BatchRequest } from '../../src/providers/batch.js';
import type { CompletionRequest } from '../../src/providers/provider.js';
import { startAnthropicBatchServer } from '../../src/testing/servers/anthropic-batch.js';
import type { BatchServerOptions, BatchTestServer } from '../../src/testing/servers/batch-common.js';
import { startOpenAIBatchServer } from '../../src/testing/servers/openai-batch.js';
import { call, localProvider, sampling } from './helpers.js';

const servers: BatchTestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const VENDORS = [
  { kind: 'openai', start: startOpenAIBatchServer },
  { kind: 'anthropic', start: startAnthropicBatchServer },
] as const;

function requests(n: number, model = 'test-model'): BatchRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    customId: `r${i}`,
    request: {
      kind: 'chat',
      model,
      messages: [{ role: 'user', content: `question ${i}` }],
      sampling: sampling(),
    } as CompletionRequest,
  }));
}
const asked = (rs: readonly BatchRequest[]) => new Map(rs.map((r) => [r.customId, r.request]));

describe.each(VENDORS)('$kind batch API', ({ kind, start }) => {
  async function setup(options: BatchServerOptions = {}): Promise<{ api: BatchApi; server: BatchTestServer }> {
    const server = await start(options);
    servers.push(server);
    const api = localProvider(kind, server.url).batch;
    if (!api) throw new Error('no batch API');
    return { api, server };
  }

  it('submits, moves through its states, and returns every answer with some errored requests', async () => {
    const { api, server } = await setup({
      pollsToComplete: 3,
      errorFor: (id) => (id === 'r1' ? { status: 400, message: 'bad request r1' } : undefined),
    });
    expect(api.priceFactor).toBe(0.5);
    const rs = requests(4);
    const submitted = await api.submit(rs, 'tag-1', call());
    expect(server.submittedRequests).toBe(4);
    expect(['validating', 'in_progress']).toContain(submitted.state);
    const states: string[] = [];
    for (let i = 0; i < 3; i++) states.push((await api.status(submitted.id, call())).state);
    expect(states.at(-1)).toBe('completed');
    expect(states.slice(0, -1).every((s) => s === 'in_progress')).toBe(true);
    const results = await api.results(submitted.id, asked(rs), call());
    expect(results).toHaveLength(4);
    const byId = new Map(results.map((r) => [r.customId, r]));
    const r0 = byId.get('r0')!;
    expect(r0.ok && r0.completion.text).toBe('test-model says: question 0');
    expect(r0.ok && r0.completion.usage.outputTokens).toBeGreaterThan(0);
    const r1 = byId.get('r1')!;
    expect(r1.ok).toBe(false);
    expect(!r1.ok && r1.kind).toBe('bad_request');
    expect(!r1.ok && r1.ran).toBe(true);
    expect(!r1.ok && r1.message).toContain('bad request r1');
  });

  it('an expired batch answers half: the rest come back as never run', async () => {
    const { api } = await setup({ pollsToComplete: 1, expire: () => true });
    const rs = requests(4);
    const b = await api.submit(rs, 'tag-2', call());
    expect((await api.status(b.id, call())).state).toBe('expired');
    const results = await api.results(b.id, asked(rs), call());
    const ok = results.filter((r) => r.ok).map((r) => r.customId);
    const notRun = results.filter((r) => !r.ok && !r.ran).map((r) => r.customId);
    expect(ok).toEqual(['r0', 'r1']);
    expect(notRun.sort()).toEqual(['r2', 'r3']);
  });

  it('cancel: cancelling, then cancelled with what it ran', async () => {
    const { api } = await setup({ pollsToComplete: 5 });
    const rs = requests(2);
    const b = await api.submit(rs, 'tag-3', call());
    expect((await api.cancel(b.id, call())).state).toBe('cancelling');
    expect((await api.status(b.id, call())).state).toBe('cancelled');
    const results = await api.results(b.id, asked(rs), call());
    expect(results.filter((r) => r.ok).map((r) => r.customId)).toEqual(['r0']);
    expect(results.filter((r) => !r.ok && !r.ran).map((r) => r.customId)).toEqual(['r1']);
  });

  it('finds a submitted batch whose id was never recorded, and only that one', async () => {
    const { api } = await setup();
    const since = new Date(Date.now() - 1000).toISOString();
    const other = await api.submit(requests(3), 'tag-other', call());
    const mine = await api.submit(requests(2), 'tag-mine', call());
    expect(await api.find('tag-mine', 2, since, new Set([other.id]), call())).toBe(mine.id);
    expect(await api.find('tag-none', 7, since, new Set([other.id, mine.id]), call())).toBeUndefined();
  });
});
