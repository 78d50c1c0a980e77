// Answers bigger than the byte cap (issue 15) on the Anthropic and Ollama wire, through the real CLI in a child
// process with its peak RSS recorded: the OpenAI case is in run-faults.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite.js';
import {
  type Fault,
  type RecordedRequest,
  startAnthropicServer,
  startOllamaServer,
  type TestServer,
} from '../../src/testing/servers/index.js';
import { phylo, workFolder, writeProfile, writeSuite } from './helpers.js';

const servers: TestServer[] = [];
const folders: string[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

const PROTOCOLS = [
  ['anthropic', startAnthropicServer],
  ['ollama', startOllamaServer],
] as const;

/** A huge answer to every answer request; the model listing (Ollama reads it for the weights' digest) stays normal. */
const hugeAnswers =
  (bytes: number) =>
  (r: RecordedRequest): Fault | undefined =>
    ['/v1/messages', '/api/chat', '/api/generate'].includes(r.path) ? { kind: 'huge', bytes } : undefined;

describe.each(PROTOCOLS)('answer size limit, %s wire', (kind, start) => {
  it('four 100 MB answers: cut at 1 MB, marked truncated, peak RSS bounded', { timeout: 180_000 }, async () => {
    const work = workFolder(`phylo-cap-${kind}-`);
    folders.push(work);
    writeProfile(work, [], kind);
    const s = await start({ models: ['m1'], faults: hugeAnswers(100 * 1024 * 1024) });
    servers.push(s);
    const suite = writeSuite(path.join(work, 'huge.yaml'), 4);
    const results = path.join(work, 'results');
    const r = await phylo(['run', '--suite', suite, '--models', 'local:m1', '--name', 'h', '--results', results], {
      PHYLO_PROFILES: path.join(work, 'profiles'),
      LOCAL_URL: s.url,
    });
    expect(r.stderr).not.toMatch(/Error|at .+\.ts:\d+/);
    expect(r.code).toBe(0);
    // Without the cap each answer is read whole (over 1.3 GB for four); Node, tsx and the SDKs take ~150 MB.
    expect(r.peakMiB).toBeLessThan(400);
    const store = openStore(results);
    try {
      const samples = store.samplesOf('h' as never);
      expect(samples).toHaveLength(4);
      for (const sample of samples) {
        expect(sample.outcome).toMatchObject({ status: 'ok', finishReason: 'truncated' });
        if (sample.outcome.status !== 'ok') continue;
        expect(sample.outcome.note).toMatch(/cut at 1048576 bytes/);
        expect(sample.outcome.text.length).toBeGreaterThan(1_000_000);
        expect(sample.outcome.text.length).toBeLessThanOrEqual(1_048_576);
      }
    } finally {
      store.close();
    }
    console.info(`${kind}: four 100 MB answers, peak RSS ${r.peakMiB.toFixed(0)} MiB`);
  });

  it('a profile maxAnswerBytes lowers the cap', { timeout: 60_000 }, async () => {
    const work = workFolder(`phylo-cap-low-${kind}-`);
    folders.push(work);
    writeProfile(work, ['maxAnswerBytes: 4096'], kind);
    const s = await start({ models: ['m1'], faults: hugeAnswers(100_000) });
    servers.push(s);
    const suite = writeSuite(path.join(work, 'cap.yaml'), 1);
    const results = path.join(work, 'results');
    const r = await phylo(['run', '--suite', suite, '--models', 'local:m1', '--name', 'c', '--results', results], {
      PHYLO_PROFILES: path.join(work, 'profiles'),
      LOCAL_URL: s.url,
    });
    expect(r.code).toBe(0);
    const store = openStore(results);
    try {
      const [sample] = store.samplesOf('c' as never);
      expect(sample!.outcome).toMatchObject({ status: 'ok', finishReason: 'truncated' });
      expect(sample!.outcome.status === 'ok' && sample!.outcome.text.length).toBeGreaterThan(3500);
      expect(sample!.outcome.status === 'ok' && sample!.outcome.text.length).toBeLessThan(4096);
    } finally {
      store.close();
    }
  });
});
