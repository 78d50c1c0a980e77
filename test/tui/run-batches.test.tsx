// The run screen on a real `--batch` collection: the batch collector runs through the SDKs against our OpenAI and
// Anthropic batch wire servers (loopback), its events go through the ProgressTracker the app uses, and the screen
// draws every vendor batch with the state, counts and age the collector reported: live while they run, then landed.
// Then the whole way the app goes: a batch run started through the real backend (the new-run screen's request with
// batch on), its events followed by the live run screen.
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { launchCollection } from '../../src/collect/launch.js';
import { ProgressTracker, type ProgressSnapshot } from '../../src/collect/progress.js';
import type { ModelRef, RunName } from '../../src/core/types.js';
import { startAnthropicBatchServer } from '../../src/testing/servers/anthropic-batch.js';
import { startOpenAIBatchServer } from '../../src/testing/servers/openai-batch.js';
import { openStore } from '../../src/store/sqlite.js';
import { RunScreen } from '../../src/tui/screens/run.js';
import { RunRoute } from '../../src/tui/screens/run-live.js';
import { createRealBackend } from '../../src/tui/real-backend.js';
import { providerRegistry } from '../../src/commands/providers-setup.js';
import { waitForFrame } from './helpers.js';
import { suiteOf, tempDir } from '../collect/fakes.js';
import { localProvider } from '../providers/helpers.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  cleanup();
  for (const close of closers.splice(0).reverse()) await close();
});

const VENDORS = [
  { kind: 'openai', start: startOpenAIBatchServer, id: /^batch_/ },
  { kind: 'anthropic', start: startAnthropicBatchServer, id: /^msgbatch_/ },
] as const;
const MODELS = ['local:test-model', 'local:other-model'] as ModelRef[];

function frameOf(progress: ProgressSnapshot, now: number): string {
  const noop = () => {};
  const ui = render(
    <RunScreen
      width={130}
      height={40}
      name="b"
      progress={progress}
      active={false}
      now={() => now}
      onPause={noop}
      onResume={noop}
      onCancel={noop}
      onResults={noop}
      onHome={noop}
    />,
  );
  const frame = ui.lastFrame() ?? '';
  ui.unmount();
  return frame;
}

describe.each(VENDORS)('run screen on a $kind --batch collection', ({ kind, start, id }) => {
  it('draws each vendor batch live, then landed, with its counts and age', async () => {
    const server = await start({ models: ['test-model', 'other-model'] });
    closers.push(() => server.close());
    const dir = tempDir('phylo-tui-batches-');
    closers.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const tracker = new ProgressTracker();
    let live: ProgressSnapshot | undefined;
    const { store, collection } = launchCollection({
      store: () => openStore(path.join(dir, 'results')),
      name: 'b' as RunName,
      suite: suiteOf(3),
      samples: 2,
      models: MODELS,
      providerFor: () => localProvider(kind, server.url),
      env: {},
      batch: { pollMs: 1, maxRequests: 4 },
      listeners: [
        (event) => {
          tracker.apply(event);
          // The first moment a submitted batch runs at the vendor, as the screen would catch it.
          if (!live && event.type === 'batch' && id.test(event.batch) && !event.landed) live = tracker.snapshot();
        },
      ],
    });
    closers.push(() => store.close());
    await collection.done;
    const stored = store.batches().ofRun('b');
    expect(stored).toHaveLength(3); // 12 requests in batches of at most 4

    const before = frameOf(live!, Date.now());
    expect(before).toMatch(/Batches {2}\d batch(es)?: 1 live, 0 landed/);
    expect(before).toMatch(new RegExp(`local\\s+${id.source.slice(1)}\\S+\\s+\\w+\\s+\\d+/\\d+/4\\s+\\d+s`));

    const end = tracker.snapshot();
    const after = frameOf(end, Date.parse(stored[0]!.createdAt) + 125_000);
    expect(after).toContain('Batches  3 batches: 0 live, 3 landed');
    expect(after).toContain('FINISHED');
    for (const b of stored) {
      // The store's state and counts, the vendor's id, and the age from when the batch was first stored.
      const age = Math.round((Date.parse(stored[0]!.createdAt) + 125_000 - Date.parse(b.createdAt)) / 1000);
      const shown = `${Math.floor(age / 60)}m${String(age % 60).padStart(2, '0')}s`;
      const line = new RegExp(
        `local\\s+${b.vendorId}\\s+${b.state}, landed\\s+${b.succeeded}/${b.errored}/${b.requests}\\s+${shown}`,
      );
      expect(after, b.vendorId ?? '').toMatch(line);
    }
  });
});

const SUITE = `name: tiny
version: "1"
description: Three probes for a batch run from the app
defaults: { temperature: 0.7, max_tokens: 16, samples: 2 }
probes:
  - { id: hello, messages: [{ role: user, content: "Say hello." }] }
  - { id: maker, messages: [{ role: user, content: "Who made you?" }] }
  - { id: sum, messages: [{ role: user, content: "What is 2 + 2?" }] }
`;

describe('a batch run started from the app', () => {
  it('is collected through the batch API and the live run screen follows its batch to landed', async () => {
    const server = await startOpenAIBatchServer({ models: ['alpha', 'beta'] });
    closers.push(() => server.close());
    const dir = tempDir('phylo-tui-batch-app-');
    closers.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, 'suites'));
    fs.writeFileSync(path.join(dir, 'suites', 'tiny.yaml'), SUITE);
    const backend = createRealBackend({
      registry: providerRegistry,
      resultsDir: path.join(dir, 'results'),
      suitesDir: path.join(dir, 'suites'),
      profilesDir: path.join(dir, 'no-profiles'),
      env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-key-0123456789' },
      batchPollMs: 5,
    });
    closers.push(() => backend.close());
    await backend.suites();
    const request = { name: 'from-app', models: ['openai:alpha', 'openai:beta'], suite: 'tiny', samples: 2 };
    const handle = await backend.startRun({ ...request, temperature: 0.7, batch: true });
    const ui = render(
      <RunRoute handle={handle} width={120} height={40} active onResults={() => {}} onHome={() => {}} />,
    );
    const frame = await waitForFrame(
      () => ui.lastFrame(),
      (f) => f.includes('FINISHED') && f.includes('0 live, 1 landed'),
      'the landed batch',
    );
    await handle.done;
    // 2 models x 3 probes x 2 samples in one batch at the vendor, drawn with its id, state, counts and age.
    expect(server.batches).toHaveLength(1);
    expect(server.submittedRequests).toBe(12);
    expect(frame).toMatch(/openai\s+batch_1\s+completed, landed\s+12\/0\/12\s+\d+s/);
    expect(frame).toContain('12/12 samples');
    expect(backend.recentRuns().find((r) => r.name === 'from-app')).toMatchObject({ samples: 12, errors: 0 });
  });
});
