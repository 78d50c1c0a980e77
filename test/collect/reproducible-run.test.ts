// Issue 16: the same command with the same seed draws the same samples; another seed draws others; --fresh asks
// again instead of reading the cache, and `phylo show` says how many answers came from the cache.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from './fakes.js';

let results: string;
beforeAll(() => {
  results = tempDir('phylo-seed-');
});
afterAll(() => fs.rmSync(results, { recursive: true, force: true }));

const MODEL = 'lab:moby-spam-early';

async function run(name: string, ...flags: string[]) {
  const r = await runCli([
    'run',
    '--suite',
    'lab-demo',
    '--models',
    MODEL,
    '--name',
    name,
    '--results',
    results,
    '--json',
    '--quiet',
    ...flags,
  ]);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as { requested: number; cached: number; ok: number };
}

interface Row {
  probe: string;
  index: number;
  text: string;
  seed: number | null;
  cached: boolean;
  collected_at: string | null;
  fingerprint: string | null;
  base_url: string | null;
  client: string | null;
}

async function exported(name: string): Promise<Row[]> {
  const r = await runCli(['export', name, '--format', 'jsonl', '--results', results]);
  expect(r.code, r.err).toBe(0);
  return r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);
}

/** What an exported text says, without the timing columns (latency, stored and collected times). */
const texts = (rows: readonly Row[]) => rows.map((r) => `${r.probe}#${r.index}:${JSON.stringify(r.text)}`).join('\n');

describe('phylo run --seed / --fresh (lab provider)', () => {
  it('--seed 7 --fresh twice: identical exported texts, all requested; --seed 8: different texts', async () => {
    const a = await run('seed7-a', '--seed', '7', '--fresh');
    const b = await run('seed7-b', '--seed', '7', '--fresh');
    const c = await run('seed8', '--seed', '8', '--fresh');
    // lab-demo: 12 style prefixes x 1 + 40 genes x 4 samples.
    for (const r of [a, b, c]) expect(r).toMatchObject({ ok: 172, cached: 0, requested: 172 });
    const [ra, rb, rc] = [await exported('seed7-a'), await exported('seed7-b'), await exported('seed8')];
    expect(texts(ra)).toBe(texts(rb));
    expect(texts(rc)).not.toBe(texts(ra));
    // Most of the 172 samples differ under another seed (temperature 1), not just a few.
    const differing = ra.filter((row, i) => row.text !== rc[i]!.text).length;
    expect(differing).toBeGreaterThan(100);
    // Each sample's seed is stored, derived from (run seed, model, probe, index): equal across the two seed-7 runs,
    // distinct between the samples of one probe, and another under seed 8.
    expect(ra.map((r) => r.seed)).toEqual(rb.map((r) => r.seed));
    expect(ra.every((r) => typeof r.seed === 'number')).toBe(true);
    const gene = ra.filter((r) => r.probe === ra.find((x) => x.index === 3)!.probe).map((r) => r.seed);
    expect(new Set(gene).size).toBe(4);
    expect(rc.filter((r, i) => r.seed === ra[i]!.seed)).toHaveLength(0);
    // Provenance: not cached, collected now, the zoo's fingerprint, the provider's URL and the client.
    for (const r of ra) {
      expect(r.cached).toBe(false);
      expect(Number.isNaN(Date.parse(r.collected_at ?? ''))).toBe(false);
      expect(r.fingerprint).toMatch(/^zoo-[0-9a-f]{8}$/);
      expect(r.base_url).toBe(`lab://${r.fingerprint}`);
      expect(r.client).toBe('llm-phylo lab');
    }
  });

  it('without --fresh the cache answers (and show counts it); with --fresh nothing is read from it', async () => {
    const cachedRun = await run('seed7-cached', '--seed', '7');
    expect(cachedRun).toMatchObject({ ok: 172, cached: 172, requested: 0 });
    const rows = await exported('seed7-cached');
    expect(texts(rows)).toBe(texts(await exported('seed7-a')));
    // A cached answer keeps the time it was first collected, not the time it was read back.
    const first = await exported('seed7-b');
    expect(rows.every((r) => r.cached)).toBe(true);
    expect(rows.map((r) => r.collected_at)).toEqual(first.map((r) => r.collected_at));
    const shown = await runCli(['show', 'seed7-cached', '--results', results]);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('172 of 172 answered samples came from the response cache, 0 were requested');
    const freshShown = await runCli(['show', 'seed7-a', '--results', results, '--json']);
    const summary = JSON.parse(freshShown.out) as { models: { model: string; cached: number; ok: number }[] };
    expect(summary.models).toEqual([expect.objectContaining({ model: MODEL, cached: 0, ok: 172 })]);
  });

  it('a new run without --seed records the default seed; a resume with another seed is refused', async () => {
    await run('default-seed');
    const shown = await runCli(['show', 'default-seed', '--results', results, '--json']);
    expect(shown.code).toBe(0);
    const again = await runCli([
      'run',
      '--suite',
      'lab-demo',
      '--models',
      MODEL,
      '--name',
      'default-seed',
      '--seed',
      '3',
      '--results',
      results,
      '--quiet',
    ]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/exists with sampling \{"seed":0\}/);
    // The default seed (0) draws other samples than seed 7.
    const rows = await exported('default-seed');
    expect(texts(rows)).not.toBe(texts(await exported('seed7-a')));
  });
});
