// An adaptive run through a vendor's batch API (`--adaptive --batch`): the pilot is one round of batches, the follow-up
// another, each cell submitted once, within the budget per model.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchAdaptive } from '../../src/collect/adaptive-run.js';
import type { ModelRef, RunName } from '../../src/core/types.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite.js';
import { startOpenAIBatchServer } from '../../src/testing/servers/openai-batch.js';
import { localProvider } from '../providers/helpers.js';
import { suiteOf, tempDir } from './fakes.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('phylo run --adaptive --batch', () => {
  it('collects the pilot and then the follow-up as batches, each cell once, 14 queries per model', async () => {
    // Probe p1 and p3 answer by model; the others alike for every model.
    const server = await startOpenAIBatchServer({
      models: ['a', 'b'],
      responder: (model, prompt) => (/question [13]$/.test(prompt) ? `${model} has its own view` : 'all agree here'),
    });
    cleanup.push(() => server.close());
    const dir = tempDir();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const stores: SqliteStore[] = [];
    cleanup.push(() => {
      for (const s of stores) s.close();
    });
    const provider = localProvider('openai', server.url, {});
    const phases: string[] = [];
    const { collection, store } = launchAdaptive({
      store: () => {
        const s = openStore(path.join(dir, 'results'));
        stores.push(s);
        return s;
      },
      name: 'ab' as RunName,
      suite: suiteOf(5),
      models: ['local:a', 'local:b'] as ModelRef[],
      providerFor: () => provider,
      env: {},
      batch: { pollMs: 1 },
      // 5 probes x 2 = 10, then 2 probes x 2 more: 14 of a budget of 15.
      adaptive: { budget: 15, pilotSamples: 2, samples: 4 },
      onPhase: (e) => phases.push(e.type),
    });
    const starts: string[] = [];
    collection.on((e) => {
      if (e.type === 'run-start') starts.push(e.run);
    });
    const result = await collection.done;
    // A listener added on the handle follows both phases, each a session of its own for progress.
    expect(starts).toEqual(['ab pilot', 'ab follow-up']);
    expect(result).toMatchObject({ ok: 28, errors: 0, cancelled: false });
    expect(phases).toEqual(['pilot', 'chosen']);
    expect(server.submittedRequests).toBe(28);
    expect(server.batches.length).toBeGreaterThanOrEqual(2);
    const chosen = store
      .probeScores()
      .scores('ab')
      .filter((s) => s.chosen)
      .map((s) => s.probe);
    expect(chosen.sort()).toEqual(['p1', 'p3']);
  });
});
