// Issue 16: the demo's pipeline reproduces itself. `phylo demo` collects the lab suite from the zoo's leaves
// (collectZooRun), then builds phenotype trees with bootstrap support; two collections into two fresh results
// folders must give the same samples, the same trees and the same scores. Four leaves and a small suite keep it fast
// (the full demo takes minutes on a loaded machine); every sampled answer and bootstrap replicate is still drawn.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRunLazily } from '../../src/analysis/analysed-run.js';
import { DEFAULT_METHOD, type Signal } from '../../src/analysis/signals/index.js';
import { collectZooRun } from '../../src/lab/experiment/zoo-run.js';
import { zooDirFrom } from '../../src/lab/provider.js';
import { writeNewick } from '../../src/phylo/index.js';
import { loadSuite } from '../../src/probes/load.js';
import { openStore } from '../../src/store/sqlite.js';
import { tempDir } from './fakes.js';

const work = tempDir('phylo-demo-repro-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function writeSuite(file: string): void {
  const lines = [
    'name: demo-small',
    'version: "1"',
    'description: a small lab suite',
    'defaults: { temperature: 1.0, max_tokens: 24, samples: 1 }',
    'probes:',
  ];
  for (const [i, p] of ['The state of the Union is', 'Call me Ishmael.', 'Click here to', 'It was'].entries())
    lines.push(`  - { id: style-${i}, tags: [style], prefix: "${p}" }`);
  for (const [i, p] of ['The ', 'It is ', 'We ', 'He ', 'In the ', 'I am '].entries())
    lines.push(`  - { id: gene-${i}, tags: [gene], prefix: "${p}", max_tokens: 6, samples: 4 }`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

const LEAVES = ['moby-spam-early', 'moby-spam-modern', 'early-ham', 'spam-early-moby'];

/** One demo-like pass into a fresh results folder: the samples' texts and the trees it prints. */
async function demoPass(results: string, suiteFile: string) {
  const store = openStore(results);
  try {
    const { data } = await collectZooRun({
      store,
      suite: loadSuite(suiteFile),
      zooDir: zooDirFrom(),
      models: LEAVES,
      name: 'lab-demo',
      concurrency: 3, // arrival order differs from the order of the plan; the samples must not
    });
    const texts = data.samples.map((s) => `${s.model}/${s.probe}/${s.index}:${JSON.stringify(s.outcome)}`);
    const run = analyseRunLazily(data);
    const signals: readonly Signal[] = ['embed', 'alleles', 'combined'];
    const trees = signals.map((signal) =>
      writeNewick(run.tree({ signal, method: DEFAULT_METHOD[signal], bootstrap: 20, seed: 1 })),
    );
    return { texts, trees, n: data.samples.length };
  } finally {
    store.close();
  }
}

describe('the demo pipeline reproduces itself', () => {
  it('two fresh results folders: identical samples and identical trees with support values', async () => {
    const suite = path.join(work, 'small.yaml');
    writeSuite(suite);
    const first = await demoPass(path.join(work, 'first'), suite);
    const second = await demoPass(path.join(work, 'second'), suite);
    expect(first.n).toBe(LEAVES.length * (4 + 6 * 4));
    expect(second.texts).toEqual(first.texts);
    expect(second.trees).toEqual(first.trees);
    // Not vacuous: the leaves answer differently, and the trees carry every leaf.
    expect(new Set(first.texts.map((t) => t.slice(t.indexOf(':')))).size).toBeGreaterThan(first.n / 2);
    for (const tree of first.trees) for (const leaf of LEAVES) expect(tree).toContain(leaf);
  }, 120_000);
});
