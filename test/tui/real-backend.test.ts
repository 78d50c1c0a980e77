// The real backend against a local OpenAI-protocol server: discovery, suites, estimate, a collected run, exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOpenAIServer, type TestServer } from '../../src/testing/servers/index.js';
import { providerRegistry } from '../../src/commands/providers-setup.js';
import { createRealBackend } from '../../src/tui/real-backend.js';
import type { TuiBackend } from '../../src/tui/backend.js';
import type { RunEvent } from '../../src/core/events.js';

const SUITE = `name: tiny
version: "1"
description: Three probes for the TUI backend test
defaults:
  temperature: 0.7
  max_tokens: 16
  samples: 1
probes:
  - id: hello
    tags: [style]
    messages:
      - { role: user, content: "Say hello." }
  - id: maker
    tags: [identity]
    messages:
      - { role: user, content: "Who made you?" }
  - id: sum
    tags: [reasoning]
    messages:
      - { role: user, content: "What is 2 + 2?" }
`;

let server: TestServer;
let tmp: string;
let backend: TuiBackend;

beforeAll(async () => {
  // A little latency, so that a run can be paused and cancelled while requests are in flight.
  server = await startOpenAIServer({
    models: ['alpha', 'beta'],
    latencyMs: 20,
    responder: (r) => `${r.model} says: ${r.prompt.slice(0, 20)}`,
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-tui-backend-'));
  fs.mkdirSync(path.join(tmp, 'suites'));
  fs.writeFileSync(path.join(tmp, 'suites', 'tiny.yaml'), SUITE);
  backend = createRealBackend({
    registry: providerRegistry,
    resultsDir: path.join(tmp, 'results'),
    suitesDir: path.join(tmp, 'suites'),
    profilesDir: path.join(tmp, 'no-profiles'),
    // Port 9 (discard) on loopback: nothing listens, so Ollama is reported unreachable without any network.
    env: {
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: 'sk-test-key-0123456789',
      OLLAMA_HOST: 'http://127.0.0.1:9',
      PHYLO_LAB_ZOO: path.join(tmp, 'zoo'),
    },
    discoveryTimeoutMs: 2000,
  });
});

afterAll(async () => {
  backend?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('real backend', () => {
  it('discovers providers: ready with models, missing key, unreachable server', async () => {
    const providers = await backend.providers();
    const by = new Map(providers.map((p) => [p.name, p]));
    expect(by.get('openai')).toMatchObject({ state: 'ready', models: ['alpha', 'beta'] });
    expect(by.get('anthropic')!.state).toBe('no-key');
    expect(by.get('anthropic')!.detail).toContain('ANTHROPIC_API_KEY');
    expect(by.get('ollama')!.state).toBe('unreachable');
    // The key never appears in what the UI shows.
    expect(JSON.stringify(providers)).not.toContain('sk-test-key');
  });

  it('lists suites and estimates requests for the chosen models', async () => {
    const suites = await backend.suites();
    expect(suites).toHaveLength(1);
    expect(suites[0]).toMatchObject({
      name: 'tiny',
      probes: 3,
      tags: ['identity', 'reasoning', 'style'],
      samples: 1,
      temperature: 0.7,
    });
    const e = await backend.estimate({
      models: ['openai:alpha', 'openai:beta'],
      suite: 'tiny',
      samples: 2,
      temperature: 0.5,
    });
    expect(e.requests).toBe(2 * 3 * 2);
    expect(e.unpriced).toEqual(['openai:alpha', 'openai:beta']);
  });

  it('collects a run whose events reach a late subscriber from run-start on, and lists it', async () => {
    await backend.suites();
    const handle = await backend.startRun({
      name: 'tui-run',
      models: ['openai:alpha', 'openai:beta'],
      suite: 'tiny',
      samples: 2,
      temperature: 0.5,
    });
    await handle.done;
    const events: RunEvent[] = [];
    handle.subscribe((e) => events.push(e));
    expect(events[0]!.type).toBe('run-start');
    expect(events.filter((e) => e.type === 'sample')).toHaveLength(12);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', ok: 12, errors: 0, cancelled: false });
    const runs = backend.recentRuns();
    expect(runs.map((r) => r.name)).toContain('tui-run');
    expect(runs.find((r) => r.name === 'tui-run')!.status).toBe('finished');
  });

  it('pauses, resumes and cancels a run, keeping what was collected', async () => {
    await backend.suites();
    const handle = await backend.startRun({
      name: 'tui-cancel',
      models: ['openai:alpha', 'openai:beta'],
      suite: 'tiny',
      samples: 40,
      temperature: 0.5,
    });
    const events: RunEvent[] = [];
    let samples = 0;
    await new Promise<void>((resolve) => {
      handle.subscribe((e) => {
        events.push(e);
        if (e.type === 'sample' && ++samples === 10) resolve();
      });
    });
    handle.pause();
    handle.resume();
    handle.cancel();
    await handle.done;
    expect(events.some((e) => e.type === 'paused')).toBe(true);
    expect(events.some((e) => e.type === 'resumed')).toBe(true);
    const end = events.find((e) => e.type === 'run-end');
    expect(end).toMatchObject({ cancelled: true });
    const run = backend.recentRuns().find((r) => r.name === 'tui-cancel')!;
    expect(run.status).toBe('interrupted');
    // Everything answered before the cancel is stored, and the run did not finish.
    expect(run.samples).toBeGreaterThanOrEqual(10);
    expect(run.samples).toBeLessThan(2 * 3 * 40);
  });

  it('writes exports into the results folder', async () => {
    const e = await backend.writeExport('tui-run.embed/nj', 'newick', '(a,b,c);\n');
    expect(e.file.startsWith(path.join(tmp, 'results', 'exports'))).toBe(true);
    expect(e.file.endsWith('.nwk')).toBe(true);
    expect(fs.readFileSync(e.file, 'utf8')).toBe('(a,b,c);\n');
  });
});
