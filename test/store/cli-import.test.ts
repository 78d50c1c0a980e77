// The import/show/runs/export commands on the real AlpacaEval data, and an offline re-collection through replay.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../collect/fakes.js';
import { ALPACA_FILE } from '../../src/store/import-alpaca-eval.js';

// Relative to the repo root, as a user would type it (vitest runs from the repo root).
const DATA = '../shared/data/alpaca_eval';

interface Entry {
  instruction: string;
  output: string;
}
const entries = (model: string): Entry[] =>
  JSON.parse(fs.readFileSync(path.join(DATA, model, ALPACA_FILE), 'utf8')) as Entry[];

describe('phylo import alpaca-eval / show / runs / export / run replay:', () => {
  let results: string;
  beforeAll(() => {
    results = tempDir('phylo-cli-import-');
  });
  afterAll(() => fs.rmSync(results, { recursive: true, force: true }));

  it('imports all models and show reports them correctly', { timeout: 300_000 }, async () => {
    const imported = await runCli(['import', 'alpaca-eval', DATA, '--name', 'alpaca', '--results', results, '--json']);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.out);
    expect(report).toMatchObject({ run: 'alpaca', models: 38, probes: 805 });

    const shown = await runCli(['show', 'alpaca', '--json', '--results', results]);
    expect(shown.code).toBe(0);
    const summary = JSON.parse(shown.out) as {
      probes: number;
      models: { model: string; ok: number; missing: number; empty: number; expected: number; errors: object }[];
    };
    expect(summary.probes).toBe(805);
    expect(summary.models.length).toBe(38);
    for (const m of summary.models) {
      const list = entries(m.model.slice('replay:'.length));
      expect(m.expected).toBe(805);
      expect(m.ok).toBe(list.length);
      expect(m.missing).toBe(805 - list.length);
      expect(m.empty).toBe(list.filter((e) => e.output === '').length);
      expect(m.errors).toEqual({});
    }
    const byName = Object.fromEntries(summary.models.map((m) => [m.model, m]));
    expect(byName['replay:phi-2']!.missing).toBe(2);
    expect(byName['replay:llama-2-70b-chat-hf']!.missing).toBe(1);
    expect(byName['replay:gemma-2b-it']!.empty).toBe(22);

    const text = await runCli(['show', 'alpaca', '--results', results]);
    expect(text.out).toMatch(/replay:phi-2\s+803\/805/);
    expect(text.out).toMatch(/replay:phi-2 misses 2: ae-[0-9a-f]{12}, ae-[0-9a-f]{12}/);

    const runs = await runCli(['runs', '--json', '--results', results]);
    expect(JSON.parse(runs.out)).toMatchObject([
      { name: 'alpaca', models: 38, probes: 805, samples: report.samples, errors: 0, status: 'finished' },
    ]);

    const out = path.join(results, 'alpaca.jsonl');
    const exported = await runCli(['export', 'alpaca', '--format', 'jsonl', '--out', out, '--results', results]);
    expect(exported.code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(report.samples);
    const first = JSON.parse(lines[0]!) as { model: string; prompt: string; text: string };
    expect(entries(first.model.slice('replay:'.length)).find((e) => e.instruction === first.prompt)!.output).toBe(
      first.text,
    );
  });

  it('re-collects from the imported run offline with replay: models', { timeout: 300_000 }, async () => {
    const phi = new Set(entries('phi-2').map((e) => e.instruction));
    const gpt = entries('gpt4_0613');
    const lacking = gpt.find((e) => !phi.has(e.instruction))!;
    const picked = [gpt[0]!, gpt[1]!, lacking];
    const suiteFile = path.join(results, 'picked.json');
    fs.writeFileSync(
      suiteFile,
      JSON.stringify({
        name: 'picked',
        version: '1',
        description: 'three AlpacaEval instructions',
        defaults: { temperature: 0.7, max_tokens: 64, samples: 1 },
        probes: picked.map((e, i) => ({
          id: `p${i}`,
          tags: ['alpaca'],
          messages: [{ role: 'user', content: e.instruction }],
        })),
      }),
    );
    const r = await runCli([
      'run',
      '--suite',
      suiteFile,
      '--models',
      'replay:gpt4_0613,replay:phi-2',
      '--name',
      'offline',
      '--results',
      results,
      '--json',
      '--quiet',
    ]);
    // phi-2 has no answer to the third instruction: a sample is missing, so the run says so (exit 1, counts by kind).
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/run offline is incomplete: 1 samples failed after every attempt \(bad_request 1\)/);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ ok: 5, errors: 1, errorsByKind: { bad_request: 1 }, cached: 0 });
    const exported = await runCli(['export', 'offline', '--format', 'jsonl', '--results', results]);
    const rows = exported.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { model: string; probe: string; status: string; text: string | null });
    const gptRows = rows.filter((x) => x.model === 'replay:gpt4_0613');
    for (const row of gptRows) expect(row.text).toBe(picked[Number(row.probe.slice(1))]!.output);
    expect(rows.find((x) => x.model === 'replay:phi-2' && x.probe === 'p2')!.status).toBe('error');
  });
});
