// `phylo demo` (what `npm start` runs): the whole pipeline on the shipped lab zoo, offline, with no key and no
// server: collect the lab suite from the zoo's leaves into the results folder, build the phenotype trees and the
// genotype tree, and print them against the known lineage.
import path from 'node:path';
import type { Command } from 'commander';
import { analyseRunLazily } from '../analysis/analysed-run.js';
import { DEFAULT_METHOD, type Signal } from '../analysis/signals/index.js';
import { startProgressReporter } from '../collect/progress-reporter.js';
import type { RunData } from '../core/run.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { parseInteger } from '../core/parse-number.js';
import { genotypeMatrix } from '../genotype/analysis.js';
import { compareModels } from '../genotype/compare.js';
import { positionLogprobSuite } from '../lab/experiment/position-runs.js';
import { asRef, collectZooRun, readTruth, relabel } from '../lab/experiment/zoo-run.js';
import { zooDirFrom } from '../lab/provider.js';
import { listZoo } from '../lab/zoo.js';
import { leafLabels, neighborJoining, renderTree, robinsonFoulds, type Tree } from '../phylo/index.js';
import { loadSuite } from '../probes/load.js';
import { openStore } from '../store/sqlite.js';

/**
 * Logprob genes the demo asks: every cut of the first DEMO_WINDOWS windows of each corpus in probes/lab-positions.yaml
 * (360 queries per model, a third of the experiment's pool), the most that keeps `npm start` near a minute.
 */
const DEMO_WINDOWS = 12;

interface DemoOptions {
  zoo?: string;
  name: string;
  suite: string;
  positions: string;
  bootstrap: string;
  seed: string;
  results?: string;
  json?: boolean;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'offline demo on the shipped lab zoo: collect, build phenotype and genotype trees, score them against the ' +
        'known lineage',
    )
    .option('--zoo <dir>', 'zoo folder (default: $PHYLO_LAB_ZOO or the shipped lab/zoo)')
    .option('--name <run>', 'run name in the results folder (re-running reuses its stored samples)', 'lab-demo')
    .option('--suite <suite>', "probe suite (lab for the full experiment's)", 'lab-demo')
    .option('--positions <suite>', 'logprob-gene suite (windows of held-out text, one query per cut)', 'lab-positions')
    .option('--bootstrap <n>', 'bootstrap replicates over probes', '100')
    .option('--seed <n>', 'seed of the bootstrap (the lab seeds each sample by model, prompt and index)', '1')
    .option(...RESULTS_OPTION)
    .option('--json', 'print the scores as JSON')
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ npm start                       # the same as: phylo demo\n' +
        '  $ phylo demo --results /tmp/demo --bootstrap 200\n',
    )
    .action(async (opts: DemoOptions) => {
      const t0 = performance.now();
      const zooDir = opts.zoo ? path.resolve(opts.zoo) : zooDirFrom();
      const bootstrap = parseInteger('--bootstrap', opts.bootstrap, { min: 0 });
      const seed = parseInteger('--seed', opts.seed, { min: 0 });
      const truthBare = await readTruth(zooDir);
      const truth = relabel(truthBare, asRef);
      const leaves = leafLabels(truthBare);
      const zoo = await listZoo(zooDir);
      const suite = loadSuite(opts.suite);
      const positions = positionLogprobSuite(loadSuite(opts.positions), DEMO_WINDOWS);
      const results = resultsDir(opts.results);
      const say = (s: string) => {
        if (!opts.quiet) process.stderr.write(`${s}\n`);
      };
      say(
        `demo: ${leaves.length} lab models with a known lineage (${zooDir}), suite ${suite.name} ` +
          `(${suite.probes.length} probes), results in ${results}`,
      );
      const store = openStore(results);
      const reporter = startProgressReporter({ quiet: opts.quiet });
      let data: RunData;
      let lpData: RunData;
      try {
        ({ data } = await collectZooRun({
          store,
          suite,
          zooDir,
          models: leaves,
          name: opts.name,
          listeners: [reporter.listener],
        }));
        // Logprob genes, as an OpenAI-style API returns them: one token with its top-20 alternatives per cut of
        // held-out text windows.
        ({ data: lpData } = await collectZooRun({
          store,
          suite: positions,
          zooDir,
          models: leaves,
          name: `${opts.name}-positions`,
          listeners: [reporter.listener],
        }));
      } finally {
        reporter.stop();
        store.close();
      }
      const t1 = performance.now();
      const width = Math.min(100, (process.stdout as NodeJS.WriteStream).columns ?? 100);
      const rows: { tree: string; signal: string; method: string; rf: number; max: number; normalized: number }[] = [];
      const show = (title: string, tree: Tree) => {
        if (opts.json) return;
        process.stdout.write(`\n${title}\n${renderTree(tree, { width, support: true })}\n`);
      };
      show("Ground truth (the recipe's training tree; branch lengths in steps)", truth);
      const cmp = await compareModels(
        leaves.map((l) => zoo.get(l)!.file),
        { labels: leaves.map(asRef) },
      );
      const geno = neighborJoining(genotypeMatrix(cmp, { metric: 'l2' }));
      const g = robinsonFoulds(geno, truth);
      rows.push({ tree: 'genotype', signal: 'weights', method: 'nj', ...g });
      show(`Genotype tree (L2 weight distances, neighbor joining): RF ${g.rf} of ${g.max}`, geno);
      // One analysed run: the combined signal reuses the embed and alleles models.
      const run = analyseRunLazily(data);
      const shown: readonly Signal[] = ['embed', 'alleles', 'combined'];
      for (const signal of shown) {
        say(`demo: phenotype tree from ${signal} with ${bootstrap} bootstrap replicates`);
        const method = DEFAULT_METHOD[signal];
        const tree = run.tree({ signal, method, bootstrap, seed });
        const r = robinsonFoulds(tree, truth);
        rows.push({ tree: 'phenotype', signal, method, ...r });
        show(
          `Phenotype tree (${signal}, ${run.matrix(signal).metric}, ${method}; support from ${bootstrap} ` +
            `replicates): RF ${r.rf} of ${r.max}`,
          tree,
        );
      }
      const lpRun = analyseRunLazily(lpData);
      const lpQueries = lpData.samples.length / leaves.length;
      for (const signal of ['logprobs', 'hellinger'] as const) {
        say(`demo: phenotype tree from ${signal} with ${bootstrap} bootstrap replicates`);
        const method = DEFAULT_METHOD[signal];
        const tree = lpRun.tree({ signal, method, bootstrap, seed });
        const r = robinsonFoulds(tree, truth);
        rows.push({ tree: 'phenotype', signal, method, ...r });
        show(
          `Phenotype tree (${signal}: next-byte top-20 logprobs at ${lpQueries} cuts of held-out text per model, ` +
            `${lpRun.matrix(signal).metric}, ${method}): RF ${r.rf} of ${r.max}`,
          tree,
        );
      }
      const seconds = (performance.now() - t0) / 1000;
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify(
            {
              zoo: zooDir,
              run: opts.name,
              results,
              queries: data.samples.length,
              logprobQueries: lpData.samples.length,
              seed,
              seconds,
              collectSeconds: (t1 - t0) / 1000,
              trees: rows,
            },
            null,
            2,
          )}\n`,
        );
        return;
      }
      process.stdout.write(
        '\nScores against the ground truth (normalized Robinson-Foulds: 0 = the true tree, 1 = nothing in common)\n',
      );
      for (const r of rows)
        process.stdout.write(
          `  ${`${r.tree} (${r.signal}, ${r.method})`.padEnd(34)} RF ${String(r.rf).padStart(2)} of ${r.max}   ` +
            `normalized ${r.normalized.toFixed(3)}\n`,
        );
      process.stdout.write(
        `\n${data.samples.length + lpData.samples.length} responses in runs ${opts.name} and ` +
          `${opts.name}-positions (collect ${((t1 - t0) / 1000).toFixed(1)} s, total ${seconds.toFixed(1)} s), no ` +
          `key, no network.\n`,
      );
      process.stdout.write(
        `Next: phylo show ${opts.name} --results ${results}   |   phylo lab experiment (every signal, method and ` +
          `budget: lab/zoo/EXPERIMENT.md)\n`,
      );
    });
}
