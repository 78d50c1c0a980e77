import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, prepareRun } from '../../src/collect/index.js';
import { InputError } from '../../src/core/errors.js';
import type { ModelRef, ProbeId, RunName, Suite } from '../../src/core/types.js';
import { csvField, writeExport } from '../../src/store/export.js';
import { importJsonl } from '../../src/store/import-jsonl.js';
import { ReplayProvider } from '../../src/providers/replay.js';
import { summarizeRun } from '../../src/store/summary.js';
import { FakeClock, specOf } from '../collect/fakes.js';
import { storeFixture } from './store-fixture.js';

const { fresh } = storeFixture();
function writeLines(dir: string, name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`);
  return file;
}

const LINES = [
  { model: 'alpha', prompt: 'What is 2+2?', text: 'Four.', tokens: 2, latency: 120 },
  { model: 'alpha', prompt: 'What is 2+2?', text: '4', tokens: 1 },
  { model: 'alpha', prompt: 'Name a colour, "any".', text: 'Red,\nor "blue"' },
  { model: 'beta', prompt: 'What is 2+2?', text: '', index: 0 },
  {
    model: 'beta',
    probe: 'custom-id',
    prompt: 'Say hi',
    text: 'hi',
    input_tokens: 3,
    output_tokens: 1,
    latency_ms: 80,
  },
];

describe('import jsonl', () => {
  it('imports samples, numbering repeated (model, prompt) lines as sample indices', async () => {
    const { dir, store } = fresh();
    const file = writeLines(dir, 'samples.jsonl', LINES);
    const report = await importJsonl(store, file, { name: 'j' });
    expect(report).toMatchObject({ run: 'j', models: 2, probes: 3, samples: 5, empty: { 'replay:beta': 1 } });
    const run = store.getRun('j' as RunName);
    expect(run.models).toEqual(['replay:alpha', 'replay:beta']);
    expect(run.samples).toBe(2);
    expect(run.origin).toBe('import:jsonl');
    const alpha = store.samplesOf('j' as RunName, 'replay:alpha' as ModelRef);
    const twoPlusTwo = alpha.filter(
      (s) => s.outcome.status === 'ok' && (s.outcome.text === 'Four.' || s.outcome.text === '4'),
    );
    expect(twoPlusTwo.map((s) => s.index).sort()).toEqual([0, 1]);
    expect(new Set(twoPlusTwo.map((s) => s.probe)).size).toBe(1);
    const hi = store.samplesOf('j' as RunName, 'replay:beta' as ModelRef).find((s) => s.probe === 'custom-id')!;
    expect(hi.outcome.status === 'ok' && hi.outcome.usage).toEqual({ inputTokens: 3, outputTokens: 1 });
    expect(hi.latencyMs).toBe(80);
    // beta lacks its second sample of 2+2 and both of the colour probe, alpha lacks both of "Say hi" and one colour.
    const summary = summarizeRun(store.loadRun('j' as RunName));
    expect(summary.models.find((m) => m.model === 'replay:beta')!.missing).toBe(4);
  });

  it('names the line and the field of bad input', async () => {
    const { dir, store } = fresh();
    const cases: [unknown[], RegExp][] = [
      [[LINES[0], '{not json'], /bad\.jsonl:2: not valid JSON/],
      [[{ model: 'a', text: 'x' }], /bad\.jsonl:1: needs "probe".*or "prompt"/],
      [[{ model: 'a', prompt: 'p', text: 5 }], /bad\.jsonl:1: field "text"/],
      [[{ model: 'a', prompt: 'p' }], /bad\.jsonl:1: field "text": required/],
      [[LINES[0], { ...LINES[0], index: 0 }], /bad\.jsonl:2: .*appears twice/],
      [
        [
          { model: 'a', probe: 'x', prompt: 'one', text: '' },
          { model: 'b', probe: 'x', prompt: 'two', text: '' },
        ],
        /bad\.jsonl:2: probe "x" was given another prompt/,
      ],
    ];
    for (const [lines, message] of cases) {
      const file = writeLines(dir, 'bad.jsonl', lines);
      await expect(importJsonl(store, file, { name: 'bad' })).rejects.toThrow(InputError);
      await expect(importJsonl(store, file, { name: 'bad' })).rejects.toThrow(message);
    }
    expect(store.hasRun('bad' as RunName)).toBe(false);
  });
});

describe('export', () => {
  it('jsonl re-imports to the same samples', async () => {
    const { dir, store } = fresh();
    await importJsonl(store, writeLines(dir, 'in.jsonl', LINES), { name: 'orig' });
    const out = path.join(dir, 'out.jsonl');
    const rows = await writeExport(store.loadRun('orig' as RunName), 'jsonl', out);
    expect(rows).toBe(5);
    await importJsonl(store, out, { name: 'copy' });
    const strip = (name: string) =>
      store
        .samplesOf(name as RunName)
        .map((s) => ({ model: s.model, probe: s.probe, index: s.index, outcome: s.outcome, latencyMs: s.latencyMs }))
        .sort((a, b) => `${a.model}${a.probe}${a.index}`.localeCompare(`${b.model}${b.probe}${b.index}`));
    expect(JSON.stringify(strip('copy'))).toBe(JSON.stringify(strip('orig')));
  });

  it('csv quotes fields per RFC 4180', async () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\nnow')).toBe('"say ""hi""\nnow"');
    expect(csvField(null)).toBe('');
    const { dir, store } = fresh();
    await importJsonl(store, writeLines(dir, 'in.jsonl', LINES), { name: 'orig' });
    const out = path.join(dir, 'out.csv');
    await writeExport(store.loadRun('orig' as RunName), 'csv', out);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('run,model,probe,index,prompt,status,text,')).toBe(true);
    expect(text).toContain('"Red,\nor ""blue"""');
    // Header + 5 records; the embedded newline is inside quotes, so count CRLF record ends.
    expect(text.split('\r\n').filter(Boolean).length).toBe(6);
  });
});

describe('replay provider', () => {
  it('re-collects an imported run offline, matched by prompt text and sample index', async () => {
    const { dir, store } = fresh();
    await importJsonl(store, writeLines(dir, 'in.jsonl', LINES), { name: 'orig' });
    const replay = new ReplayProvider(store);
    expect(await replay.listModels()).toEqual(['alpha', 'beta']);
    // A new suite with other probe ids but the same prompts, plus one prompt nobody recorded.
    const suite: Suite = {
      name: 'again',
      version: '1',
      description: 'replayed',
      defaults: { sampling: { temperature: 0.3, maxTokens: 10 }, samples: 2 },
      probes: [
        {
          id: 'q-math' as ProbeId,
          tags: [],
          prompt: { kind: 'chat', messages: [{ role: 'user', content: 'What is 2+2?' }] },
        },
        {
          id: 'q-new' as ProbeId,
          tags: [],
          prompt: { kind: 'chat', messages: [{ role: 'user', content: 'Unrecorded?' }] },
        },
      ],
    };
    const spec = specOf('replayed', suite, ['replay:alpha', 'replay:beta', 'replay:gamma'], 2);
    prepareRun(store, spec);
    const result = await collect({ store, spec, providerFor: () => replay, clock: new FakeClock() });
    const got = Object.fromEntries(
      store
        .samplesOf(spec.name)
        .map((s) => [
          `${s.model}/${s.probe}/${s.index}`,
          s.outcome.status === 'ok' ? s.outcome.text : `error:${s.outcome.kind}`,
        ]),
    );
    expect(got['replay:alpha/q-math/0']).toBe('Four.');
    expect(got['replay:alpha/q-math/1']).toBe('4');
    expect(got['replay:beta/q-math/0']).toBe('');
    expect(got['replay:beta/q-math/1']).toBe('error:bad_request');
    expect(got['replay:alpha/q-new/0']).toBe('error:bad_request');
    expect(got['replay:gamma/q-math/0']).toBe('error:not_found');
    expect(result.ok).toBe(3);
    expect(Object.keys(got).length).toBe(12);
  });
});
