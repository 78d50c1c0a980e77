// The controlled experiment (after Yax et al. 2024, PhyloLM, and weight-lineage studies): the zoo's true training
// tree is known, so every tree the tool can estimate, from output text (phenotype) or from weights (genotype), is
// scored against it with Robinson-Foulds distances. Collection goes through the same collect/store code as
// `phylo run`, the phenotype trees through the same analysis as `phylo tree`.
import { TEXT_SIGNALS } from '../../analysis/signals/index.js';
import type { startCollection } from '../../collect/index.js';
import { InputError } from '../../core/errors.js';
import type { Suite } from '../../core/types.js';
import { leafLabels, TREE_METHODS, writeNewick } from '../../phylo/index.js';
import type { SqliteStore } from '../../store/sqlite.js';
import { listZoo } from '../zoo.js';
import { budgetTable, type BudgetTable } from './budget.js';
import { datasetEffects, type DatasetRow, type EdgeEffect } from './dataset-effects.js';
import { genotypeAnalysis, type GenotypeResult } from './genotype.js';
import { logprobSuite } from './logprob-suite.js';
import { nearestLeafStats, nextByteScores } from './next-byte.js';
import { GENE_SAMPLES, positionGeneSuite, positionLogprobSuite, TEXT_GENES, textGeneSuite } from './position-runs.js';
import { budgetCurve, logprobScores, phenotypeScores, type BudgetPoint, type TreeScore } from './score.js';
import { asRef, collectZooRun, LAB_PREFIX, readTruth, relabel } from './zoo-run.js';

export interface ExperimentReport {
  readonly zoo: string;
  readonly run: string;
  readonly models: readonly string[];
  readonly queriesPerModel: number;
  readonly bootstrap: number;
  readonly truth: string;
  readonly phenotype: TreeScore[];
  /** Trees from the models' exact next-byte distributions (no sampling): the ceiling of the phenotype. */
  readonly nextByte: TreeScore[];
  /** Trees from first-token top-k logprobs, collected through the provider (one query per probe). */
  readonly logprobs: TreeScore[];
  readonly logprobQueriesPerModel: readonly number[];
  /**
   * Under the noise-free phenotype, how many leaves have their true sibling, or a leaf with the same last dataset, as
   * nearest neighbour.
   */
  readonly recency: { readonly sibling: number; readonly sameLast: number; readonly total: number };
  readonly budget: BudgetPoint[];
  /** Every signal against queries per model up to 1,000, PhyloLM's recipe beside it (./budget.ts). */
  readonly budgetTable: BudgetTable;
  /** Trees of the logprob genes at every position of the pool, every method (hellinger and logprobs signals). */
  readonly positions: TreeScore[];
  readonly positionQueriesPerModel: number;
  readonly genotype: GenotypeResult;
  readonly edges: EdgeEffect[];
  readonly datasets: DatasetRow[];
  readonly seconds: {
    readonly collect: number;
    readonly phenotype: number;
    readonly genotype: number;
    readonly datasets: number;
    readonly budget: number;
  };
}

export async function runExperiment(options: {
  store: SqliteStore;
  suite: Suite;
  /** The logprob-gene suite (probes/lab-positions.yaml): the budget table's two pooled runs come from it. */
  positions: Suite;
  zooDir: string;
  run: string;
  bootstrap: number;
  seed: number;
  onStage?: (stage: string) => void;
  listeners?: Parameters<typeof startCollection>[0]['listeners'];
}): Promise<ExperimentReport> {
  const stage = options.onStage ?? (() => {});
  const truthBare = await readTruth(options.zooDir);
  const leaves = leafLabels(truthBare);
  const zoo = await listZoo(options.zooDir);
  for (const l of leaves)
    if (!zoo.has(l))
      throw new InputError(`zoo ${options.zooDir}: the truth names ${l} but there is no checkpoint for it`);
  const truth = relabel(truthBare, asRef);
  const t0 = performance.now();
  stage(`collect: ${leaves.length} models x ${options.suite.probes.length} probes (run ${options.run})`);
  const { data } = await collectZooRun({
    store: options.store,
    suite: options.suite,
    zooDir: options.zooDir,
    models: leaves,
    name: options.run,
    ...(options.listeners ? { listeners: options.listeners } : {}),
  });
  const t1 = performance.now();
  stage(
    `phenotype: ${TEXT_SIGNALS.length} signals x ${TREE_METHODS.length} methods, ${options.bootstrap} bootstrap ` +
      `replicates`,
  );
  const phenotype = phenotypeScores(data, truth, options.bootstrap, options.seed);
  stage('budget curve');
  const budget = budgetCurve(data, truth, options.seed);
  const t2 = performance.now();
  stage('genotype: layer by layer');
  const genotype = await genotypeAnalysis(
    leaves.map((l) => zoo.get(l)!.file),
    leaves.map(asRef),
    truth,
  );
  const prefixes = options.suite.probes.flatMap((p) => (p.prompt.kind === 'prefix' ? [p.prompt.prefix] : []));
  stage('noise-free next-byte phenotype');
  stage(`logprob phenotype: ${leaves.length} models x ${options.suite.probes.length} probes, one query each`);
  const logprobs: TreeScore[] = [];
  const logprobQueries: number[] = [];
  for (const every of [0, 4]) {
    const lpRun = await collectZooRun({
      store: options.store,
      suite: logprobSuite(options.suite, every),
      zooDir: options.zooDir,
      models: leaves,
      name: `${options.run}-logprobs${every > 0 ? `-every${every}` : ''}`,
      ...(options.listeners ? { listeners: options.listeners } : {}),
    });
    const queries = lpRun.data.samples.length / leaves.length;
    logprobQueries.push(queries);
    logprobs.push(
      ...logprobScores(lpRun.data, truth, `logprobs (${queries} queries)`, options.bootstrap, options.seed),
    );
  }
  const nb = await nextByteScores(
    leaves.map((l) => zoo.get(l)!.file),
    leaves.map(asRef),
    prefixes,
    truth,
  );
  const nextByte = nb.scores;
  const bare = (ref: string) => ref.slice(LAB_PREFIX.length + 1);
  const parentOf = (name: string) => zoo.get(name)!.meta.parent;
  const recency = nearestLeafStats(
    nb.matrix,
    (a) => {
      const sibs = leaves.filter((l) => l !== bare(a) && parentOf(l) === parentOf(bare(a)));
      return sibs.length === 1 ? asRef(sibs[0]!) : undefined;
    },
    (a) => zoo.get(bare(a))!.meta.lineage.at(-1) ?? '',
  );
  const t3 = performance.now();
  stage(`budget table: logprob genes and PhyloLM genes from suite ${options.positions.name}`);
  const collect = (suite: Suite, name: string) =>
    collectZooRun({
      store: options.store,
      suite,
      zooDir: options.zooDir,
      models: leaves,
      name,
      ...(options.listeners ? { listeners: options.listeners } : {}),
    });
  const posRun = await collect(positionLogprobSuite(options.positions), `${options.run}-positions`);
  const geneRun = await collect(positionGeneSuite(options.positions), `${options.run}-phylolm`);
  const positions = (['hellinger', 'logprobs'] as const).flatMap((signal) =>
    logprobScores(posRun.data, truth, `${signal} (positions)`, options.bootstrap, options.seed, signal),
  );
  const textRun = await collect(textGeneSuite(options.positions), `${options.run}-text`);
  const budgetRows = budgetTable(posRun.data, geneRun.data, GENE_SAMPLES, truth, options.seed, undefined, {
    data: textRun.data,
    design: TEXT_GENES,
  });
  const t3b = performance.now();
  stage('dataset contributions');
  const { edges, datasets } = await datasetEffects(options.zooDir, prefixes);
  const t4 = performance.now();
  return {
    zoo: options.zooDir,
    run: options.run,
    models: leaves,
    queriesPerModel: data.samples.length / leaves.length,
    bootstrap: options.bootstrap,
    truth: writeNewick(truthBare),
    phenotype,
    nextByte,
    logprobs,
    logprobQueriesPerModel: logprobQueries,
    recency,
    budget,
    budgetTable: budgetRows,
    positions,
    positionQueriesPerModel: posRun.data.samples.length / leaves.length,
    genotype,
    edges,
    datasets,
    seconds: {
      collect: (t1 - t0) / 1000,
      phenotype: (t2 - t1) / 1000,
      genotype: (t3 - t2) / 1000,
      datasets: (t4 - t3b) / 1000,
      budget: (t3b - t3) / 1000,
    },
  };
}
