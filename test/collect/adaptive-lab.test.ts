// An adaptive run on the lab zoo with logprobs (the lab provider, in process): the pilot is scored by Hellinger on
// real next-token distributions, the budget holds per model, the same command and seed choose the same probes (also
// asked afresh), and the stored run is analysed like any other (trees from its unbalanced samples).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunName } from '../../src/core/types.js';
import { openStore } from '../../src/store/sqlite.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from './fakes.js';

let results: string;
beforeAll(() => {
  results = tempDir('phylo-adaptive-lab-');
});
afterAll(() => fs.rmSync(results, { recursive: true, force: true }));

const MODELS = ['lab:early-moby-spam', 'lab:early-moby-ham', 'lab:spam-modern-moby', 'lab:spam-modern-ham'];

/** 10 candidate genes x 2 pilot samples = 20, then 3 x 6 more = 18: 38 queries per model. */
const run = (name: string, ...flags: string[]) =>
  runCli([
    'run',
    '--suite',
    'lab-demo',
    '--tags',
    'gene',
    '--limit',
    '10',
    '--models',
    MODELS.join(','),
    '--adaptive',
    '--budget',
    '38',
    '--samples',
    '8',
    '--logprobs',
    '10',
    '--seed',
    '5',
    '--name',
    name,
    '--results',
    results,
    '--json',
    '--quiet',
    ...flags,
  ]);

describe('phylo run --adaptive on the lab zoo (logprobs)', () => {
  it('scores the pilot by Hellinger, spends 38 queries per model, and chooses the same probes again', async () => {
    const first = await run('lab-a');
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({
      ok: 152,
      adaptive: { divergence: 'hellinger', chosen: 3, pilotQueries: 20, selected: 3, followUpSamples: 6, seed: 5 },
    });
    const again = await run('lab-b', '--fresh');
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ requested: 152, cached: 0 });
    const store = openStore(results);
    try {
      const a = store.probeScores().scores('lab-a');
      expect(a).toHaveLength(10);
      // The lab's next-token distribution of a prompt does not depend on the sample: no within-model divergence,
      // so F ranks by between-model divergence alone (over the floor).
      expect(a.every((s) => s.within === 0)).toBe(true);
      expect(a.filter((s) => s.between > 0).length).toBeGreaterThan(5);
      expect(store.probeScores().scores('lab-b')).toEqual(a);
      const perModel = new Map<string, number>();
      for (const s of store.samplesOf('lab-a' as RunName)) perModel.set(s.model, (perModel.get(s.model) ?? 0) + 1);
      expect([...perModel.values()]).toEqual([38, 38, 38, 38]);
    } finally {
      store.close();
    }
  }, 120_000);

  it('phylo tree reads the adaptive run: hellinger from every probe, alleles from the unbalanced samples', async () => {
    for (const signal of ['hellinger', 'alleles']) {
      const tree = await runCli([
        'tree',
        'lab-a',
        '--signal',
        signal,
        '--bootstrap',
        '10',
        '--results',
        results,
        '--json',
      ]);
      expect(tree.code, tree.err).toBe(0);
      expect(JSON.parse(tree.out)).toMatchObject({ signal });
    }
  }, 120_000);
});
