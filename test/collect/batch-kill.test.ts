// `phylo run --batch` killed with SIGKILL between submitting its batches and reading their results, then run again:
// the second process polls the batches the first submitted (found in the store), so no request is submitted twice,
// and every sample lands exactly once. Both vendors in one run, through the SDKs, against our wire servers.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite.js';
import { startAnthropicBatchServer } from '../../src/testing/servers/anthropic-batch.js';
import type { BatchTestServer } from '../../src/testing/servers/batch-common.js';
import { startOpenAIBatchServer } from '../../src/testing/servers/openai-batch.js';
import { startCli } from './cli.js';
import { tempDir } from './fakes.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const SUITE = `name: kill
version: "1"
description: kill test
defaults: { temperature: 0.7, max_tokens: 16, samples: 2 }
probes:
${Array.from({ length: 5 }, (_, i) => `  - id: p${i}\n    messages: [{ role: user, content: "q ${i}" }]`).join('\n')}
`;

describe('phylo run --batch, SIGKILL between submit and results', () => {
  it('loses no sample, duplicates none, submits no request twice', { timeout: 120_000 }, async () => {
    // Batches stay in progress until the first process is dead; then they complete.
    const openaiOptions = { pollsToComplete: 1_000_000 };
    const anthropicOptions = { pollsToComplete: 1_000_000 };
    const openai: BatchTestServer = await startOpenAIBatchServer(openaiOptions);
    const anthropic: BatchTestServer = await startAnthropicBatchServer(anthropicOptions);
    cleanup.push(
      () => openai.close(),
      () => anthropic.close(),
    );
    const work = tempDir();
    cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
    fs.writeFileSync(path.join(work, 'suite.yaml'), SUITE);
    const results = path.join(work, 'results');
    const args = [
      'run',
      '--suite',
      path.join(work, 'suite.yaml'),
      '--models',
      'openai:test-model,anthropic:test-model',
      '--name',
      'k',
      '--results',
      results,
      '--batch',
      '--batch-poll',
      '0.05',
    ];
    const env = {
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: openai.url,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: anthropic.url,
    };
    const first = startCli(args, env);
    // Killed once both vendors hold a batch and each has been polled: submitted, results not read.
    while (!(openai.batches[0]?.polls! >= 2 && anthropic.batches[0]?.polls! >= 2)) {
      if (first.child.exitCode !== null) expect.fail(`phylo run ended before the kill: ${(await first.done).stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const atKill = openStore(results);
    expect(atKill.samplesOf('k' as never)).toHaveLength(0);
    const live = atKill.batches().ofRun('k');
    expect(live.map((b) => b.provider).sort()).toEqual(['anthropic', 'openai']);
    expect(live.every((b) => b.vendorId !== undefined && !b.landed)).toBe(true);
    atKill.close();

    openaiOptions.pollsToComplete = 0;
    anthropicOptions.pollsToComplete = 0;
    const second = await startCli(args, env).done;
    expect(second.code, second.stderr).toBe(0);

    const store = openStore(results);
    cleanup.push(() => store.close());
    const samples = store.samplesOf('k' as never);
    expect(samples).toHaveLength(2 * 5 * 2); // 0 lost
    const cells = new Set(samples.map((s) => `${s.model}/${s.probe}/${s.index}`));
    expect(cells.size).toBe(samples.length); // 0 duplicated
    expect(samples.every((s) => s.outcome.status === 'ok')).toBe(true);
    // No request submitted twice: one batch per vendor, each of the run's 10 requests once.
    expect(openai.batches).toHaveLength(1);
    expect(anthropic.batches).toHaveLength(1);
    expect(openai.submittedRequests).toBe(10);
    expect(anthropic.submittedRequests).toBe(10);
    expect(
      store
        .batches()
        .ofRun('k')
        .every((b) => b.landed && b.state === 'completed'),
    ).toBe(true);

    const show = await startCli(['show', 'k', '--results', results], {}).done;
    expect(show.stdout).toContain('batches: 2 (0 live, 2 landed)');
    expect(show.stdout).toMatch(/openai batch_1: completed, landed, 10 requests/);
  });
});
