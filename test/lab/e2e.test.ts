// End to end: train a small zoo, serve it over HTTP, collect a run through the official OpenAI and Ollama SDKs
// (the openai: and ollama: providers pointed at the lab server), build the phenotype and genotype trees, and check
// the genotype tree recovers the zoo's known lineage.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { runName } from '../../src/core/refs.js';
import { compareModels } from '../../src/genotype/compare.js';
import { genotypeMatrix } from '../../src/genotype/analysis.js';
import { parseRecipe, truthTree } from '../../src/lab/recipe.js';
import { startLabServer, type LabServer } from '../../src/lab/server.js';
import { checkpointFile, trainZoo } from '../../src/lab/zoo.js';
import { leafLabels, neighborJoining, robinsonFoulds } from '../../src/phylo/index.js';
import { openStore } from '../../src/store/sqlite.js';
import { analyseRun } from '../../src/analysis/analyse.js';
import { experimentMarkdown } from '../../src/lab/experiment/report.js';
import { runExperiment } from '../../src/lab/experiment/run.js';
import { BUDGETS } from '../../src/lab/experiment/budget.js';
import { loadSuite } from '../../src/probes/load.js';
import { runCli } from '../helpers/run-cli.js';

const small = {
  name: 'e2e',
  seed: 3,
  model: { vocab: 128, ctx: 16, d: 16, heads: 2, layers: 2, hidden: 32 },
  training: { batch: 4, lr: 0.01, warmup: 3, min_lr_fraction: 0.1, weight_decay: 0.01, clip: 1 },
  evaluation: { windows: 4 },
  nodes: [
    { name: 'base', datasets: ['sotu-modern', 'moby-dick', 'spam', 'ham'], steps: 40 },
    { name: 'm', parent: 'base', datasets: ['moby-dick'], steps: 30 },
    { name: 'm-spam', parent: 'm', datasets: ['spam'], steps: 15 },
    { name: 'm-ham', parent: 'm', datasets: ['ham'], steps: 15 },
    { name: 's', parent: 'base', datasets: ['sotu-modern'], steps: 30 },
    { name: 's-moby', parent: 's', datasets: ['moby-dick'], steps: 15 },
    { name: 'ss', parent: 's', datasets: ['spam'], steps: 20 },
    { name: 'ss-ham', parent: 'ss', datasets: ['ham'], steps: 15 },
    { name: 'ss-moby', parent: 'ss', datasets: ['moby-dick'], steps: 15 },
  ],
};

const suite = `name: e2e-lab
version: "1"
description: lab e2e
defaults: { temperature: 1.0, max_tokens: 24, samples: 1, seed: 5 }
probes:
  - { id: p-the, tags: [style], prefix: "The " }
  - { id: p-dear, tags: [style], prefix: "Dear Friend," }
  - { id: p-whale, tags: [style], prefix: "The whale" }
  - { id: p-congress, tags: [style], prefix: "I recommend to the Congress" }
  - { id: g-we, tags: [gene], prefix: "We ", max_tokens: 6 }
  - { id: g-of, tags: [gene], prefix: "of the ", max_tokens: 6 }
`;

/** A tiny logprob-gene suite in the format of probes/lab-positions.yaml: 2 corpora x 3 windows, cut at 8 and 16. */
async function writePositions(dir: string): Promise<string> {
  const windows = ['The whale was seen by all', 'Dear friend, click here now'].flatMap((text, d) =>
    [0, 1, 2].flatMap((w) =>
      [8, 16].map((c) => ({
        id: `pos-d${d}-${w}:${c}`,
        tags: ['position', `d${d}`, `window-d${d}-${w}`],
        prefix: `${' x'.repeat(w)}${text}`.trim().slice(0, c),
      })),
    ),
  );
  const file = path.join(dir, 'positions.json');
  await writeFile(
    file,
    JSON.stringify({
      name: 'e2e-positions',
      version: '1',
      description: 'tiny',
      defaults: { temperature: 1, max_tokens: 1, samples: 1 },
      probes: windows,
    }),
  );
  return file;
}

describe('lab end to end', () => {
  let dir: string;
  let server: LabServer;
  const saved = { ...process.env };
  const recipe = parseRecipe(small, 'e2e recipe');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'phylo-lab-e2e-'));
    await trainZoo(recipe, path.join(dir, 'zoo'));
    server = await startLabServer({ zooDir: path.join(dir, 'zoo') });
    await writeFile(path.join(dir, 'suite.yaml'), suite);
  });

  afterAll(async () => {
    await server?.close();
    process.env = saved;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves the zoo to phylo run through the OpenAI and Ollama SDKs, and the genotype tree recovers the truth', async () => {
    const leaves = recipe.leaves;
    expect(leaves).toHaveLength(5);
    process.env.OPENAI_BASE_URL = `${server.url}/v1`;
    process.env.OPENAI_API_KEY = 'test-dummy-key';
    process.env.OLLAMA_HOST = server.url;
    const results = path.join(dir, 'results');
    for (const provider of ['openai', 'ollama']) {
      const code = await main([
        'run',
        '--suite',
        path.join(dir, 'suite.yaml'),
        '--models',
        leaves.map((l) => `${provider}:${l}`).join(','),
        '--name',
        `e2e-${provider}`,
        '--results',
        results,
        '--quiet',
      ]);
      expect(code, `phylo run through ${provider}`).toBe(0);
    }
    expect(server.counts.completions).toBe(leaves.length * 6);
    expect(server.counts.generate).toBe(leaves.length * 6);

    const store = openStore(results);
    const viaOpenAI = store.loadRun(runName('e2e-openai'));
    const viaOllama = store.loadRun(runName('e2e-ollama'));
    store.close();
    expect(viaOpenAI.samples.every((s) => s.outcome.status === 'ok')).toBe(true);
    expect(viaOllama.samples.every((s) => s.outcome.status === 'ok')).toBe(true);
    // Same model, prefix, temperature and seed: both APIs return the same text.
    const text = (samples: typeof viaOpenAI.samples, model: string, probe: string) => {
      const s = samples.find((x) => x.model === model && x.probe === probe)!;
      return s.outcome.status === 'ok' ? s.outcome.text : undefined;
    };
    for (const l of leaves) {
      for (const p of ['p-the', 'p-dear', 'g-we'])
        expect(text(viaOllama.samples, `ollama:${l}`, p)).toBe(text(viaOpenAI.samples, `openai:${l}`, p));
    }

    // Phenotype tree from the collected run.
    const pheno = analyseRun(viaOpenAI, { signal: 'embed', method: 'nj', bootstrap: 20 });
    expect(new Set(leafLabels(pheno.tree))).toEqual(new Set(leaves.map((l) => `openai:${l}`)));
    expect(pheno.matrix.values.some((v) => v > 0)).toBe(true);

    // Genotype tree from the checkpoints: exactly the recipe's tree.
    const cmp = await compareModels(
      leaves.map((l) => checkpointFile(path.join(dir, 'zoo'), l)),
      { labels: leaves },
    );
    const geno = neighborJoining(genotypeMatrix(cmp, { metric: 'l2' }));
    expect(robinsonFoulds(geno, truthTree(recipe)).rf).toBe(0);
  });

  it('runs the controlled experiment: every tree scored against the truth, layers and datasets reported', async () => {
    const results = path.join(dir, 'results-exp');
    const store = openStore(results);
    const suiteFile = path.join(dir, 'suite-genes.yaml');
    await writeFile(suiteFile, suite.replace('samples: 1, seed: 5', 'samples: 4'));
    const positionsFile = await writePositions(dir);
    try {
      const report = await runExperiment({
        store,
        suite: loadSuite(suiteFile),
        positions: loadSuite(positionsFile),
        zooDir: path.join(dir, 'zoo'),
        run: 'exp',
        bootstrap: 10,
        seed: 1,
      });
      expect(new Set(report.models)).toEqual(new Set(recipe.leaves));
      expect(report.queriesPerModel).toBe(6 * 4);
      // Every genotype metric with NJ recovers the lineage exactly.
      for (const s of report.genotype.scores.filter((x) => x.method === 'nj')) expect(s.rf, `${s.metric}`).toBe(0);
      // Phenotype: all four signals (alleles too: 4 samples per probe), each by four methods.
      expect(new Set(report.phenotype.map((p) => p.signal))).toEqual(
        new Set(['embed', 'traits', 'alleles', 'combined']),
      );
      for (const p of report.phenotype) {
        expect(p.normalized).toBeGreaterThanOrEqual(0);
        expect(p.normalized).toBeLessThanOrEqual(1);
      }
      // Layers: every block, the embeddings and the head, ranked by each metric.
      expect(report.genotype.layers.length).toBeGreaterThanOrEqual(4);
      for (const l of report.genotype.layers)
        for (const m of ['l1', 'l2', 'cosine']) expect(l.byMetric[m]!.rank).toBeGreaterThanOrEqual(1);
      // Datasets: one row per fine-tuning dataset; an edge trained on a dataset lowers held-out loss on it on average.
      expect(new Set(report.datasets.map((d) => d.dataset))).toEqual(
        new Set(['moby-dick', 'spam', 'ham', 'sotu-modern']),
      );
      expect(report.edges).toHaveLength(recipe.nodes.length - 1);
      const own = report.datasets.map((d) => d.deltaOwn);
      expect(own.reduce((a, b) => a + b, 0) / own.length).toBeLessThan(0);
      for (const e of report.edges) {
        expect(e.genotypeL2).toBeGreaterThan(0);
        expect(e.phenotypeJs).toBeGreaterThan(0);
      }
      expect(report.budget.length).toBeGreaterThanOrEqual(3);
      expect(report.nextByte).toHaveLength(4);
      expect(report.logprobs).toHaveLength(8);
      expect(report.recency.total).toBe(5);
      // The budget table: both logprob signals, PhyloLM's recipe as the one baseline, every text signal.
      expect(report.positionQueriesPerModel).toBe(12);
      expect(report.positions).toHaveLength(8);
      const rows = report.budgetTable.rows;
      expect(rows.filter((r) => r.baseline).map((r) => [r.signal, r.method])).toEqual([['alleles', 'nj']]);
      expect(new Set(rows.map((r) => r.signal))).toEqual(
        new Set(['hellinger', 'logprobs', 'alleles', 'embed', 'traits', 'combined']),
      );
      for (const r of rows)
        for (const [i, c] of r.cells.entries()) if (c) expect(c.queries).toBeLessThanOrEqual(BUDGETS[i]!);
      // At 1,000 queries the whole pool is used: 12 logprob queries, 6 genes x 8 samples.
      const at1000 = (signal: string) => rows.find((r) => r.signal === signal && !r.design.includes('active'))!;
      expect(at1000('hellinger').cells.at(-1)!.queries).toBe(12);
      expect(at1000('alleles').cells.at(-1)!.queries).toBe(48);
      // The text genes (greedy next bytes): alleles and embed, every cut of every window asked twice at 1,000.
      const text = rows.filter((r) => r.design.startsWith('text genes'));
      expect(text.map((r) => r.signal)).toEqual(['alleles', 'embed']);
      for (const r of text) expect(r.cells.at(-1)!.queries).toBe(6 * 2 * 2);
      const md = experimentMarkdown(report);
      for (const h of [
        '## Genotype',
        '## Phenotype',
        '## Budget table',
        '(baseline)',
        '## Layer importance',
        '## Contribution of each dataset',
      ])
        expect(md).toContain(h);
    } finally {
      store.close();
    }
  });
  it('runs the demo reproducibly: the same seed prints the same scores, logprob genes included', async () => {
    const positionsFile = await writePositions(dir);
    const suiteFile = path.join(dir, 'suite-demo.yaml');
    await writeFile(suiteFile, suite.replace('samples: 1, seed: 5', 'samples: 4'));
    const demo = async (results: string) => {
      const r = await runCli([
        'demo',
        '--zoo',
        path.join(dir, 'zoo'),
        '--suite',
        suiteFile,
        '--positions',
        positionsFile,
        '--bootstrap',
        '10',
        '--results',
        path.join(dir, results),
        '--json',
        '--quiet',
      ]);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as { trees: { signal: string; rf: number }[]; seed: number; logprobQueries: number };
    };
    const a = await demo('demo-a');
    const b = await demo('demo-b');
    expect(b.trees).toEqual(a.trees);
    expect(a.seed).toBe(1);
    // Every cut of every window (all 6 windows are below the demo's 12 per corpus), once per model.
    expect(a.logprobQueries).toBe(12 * 5);
    expect(a.trees.map((t) => t.signal)).toEqual(['weights', 'embed', 'alleles', 'combined', 'logprobs', 'hellinger']);
  });
});
