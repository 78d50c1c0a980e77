// The controlled experiment (after Yax et al. 2024, PhyloLM, and weight-lineage studies): the zoo's true training
// tree is known, so every tree the tool can estimate, from output text (phenotype) or from weights (genotype), is
// scored against it with Robinson-Foulds distances. Collection goes through the same collect/store code as
// `phylo run`, the phenotype trees through the same analysis as `phylo tree`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { analyseRun } from '../analysis/analyse.js';
import { logprobsSignal, TEXT_SIGNALS, type Signal } from '../analysis/signals/index.js';
import { responseTable } from '../phenotype/responses.js';
import { prepareRun, startCollection, type CollectResult } from '../collect/index.js';
import { InputError } from '../core/errors.js';
import { makeDistanceMatrix, type DistanceMatrix } from '../core/matrix.js';
import { modelRef, probeId, runName } from '../core/refs.js';
import type { ModelRef, Suite } from '../core/types.js';
import { genotypeMatrix, layerImportance } from '../genotype/analysis.js';
import { compareModels } from '../genotype/compare.js';
import type { GenotypeMetric } from '../genotype/metrics.js';
import {
  buildTree,
  compareSplits,
  leafLabels,
  parseNewick,
  patristicDistances,
  robinsonFoulds,
  TREE_METHODS,
  writeNewick,
  type Tree,
  type TreeMethod,
  type TreeNode,
} from '../phylo/index.js';
import type { RunData } from '../core/run.js';
import type { SqliteStore } from '../store/sqlite.js';
import { loadCheckpoint, type CheckpointMeta } from './checkpoint.js';
import { Decoder } from './decode.js';
import type { Model } from './model.js';
import { createLabProvider } from './provider.js';
import { encode } from './tokenizer.js';
import { listZoo, TRUTH_FILE } from './zoo.js';

export const LAB_PREFIX = 'lab';

/** The zoo's ground truth, with leaves named as the run names them (`lab:NAME`). */
export async function readTruth(zooDir: string): Promise<Tree> {
  const file = path.join(zooDir, TRUTH_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(
      `zoo ${zooDir}: no ${TRUTH_FILE}; train the zoo with "phylo lab train --out ${zooDir}" (it writes the ground truth)`,
    );
  }
  return parseNewick(text, file);
}

export function relabel(tree: Tree, f: (label: string) => string): Tree {
  const walk = (n: TreeNode): TreeNode =>
    n.children.length === 0
      ? { ...n, ...(n.name !== undefined ? { name: f(n.name) } : {}) }
      : { ...n, children: n.children.map(walk) };
  return { ...tree, root: walk(tree.root) };
}

export const asRef = (name: string): string => `${LAB_PREFIX}:${name}`;

/** Collect `suite` from the zoo's leaves into the store, in process, through the collector (resumable by name). */
export async function collectZooRun(options: {
  store: SqliteStore;
  suite: Suite;
  zooDir: string;
  models: readonly string[];
  name: string;
  samples?: number;
  concurrency?: number;
  listeners?: Parameters<typeof startCollection>[0]['listeners'];
}): Promise<{ result: CollectResult; data: RunData }> {
  const provider = createLabProvider({ zooDir: options.zooDir });
  const models: ModelRef[] = options.models.map((m) => modelRef(asRef(m)));
  const name = runName(options.name);
  const prepared = prepareRun(
    options.store,
    { name, suite: options.suite, models, samples: options.samples ?? options.suite.defaults.samples },
    'lab',
  );
  const collection = startCollection({
    store: options.store,
    spec: prepared.spec,
    providerFor: () => provider,
    concurrency: () => options.concurrency ?? 2,
    timeoutMs: 120_000,
    maxAttempts: 2,
    ...(options.listeners ? { listeners: options.listeners } : {}),
  });
  const result = await collection.done;
  return { result, data: options.store.loadRun(name) };
}

export interface TreeScore {
  readonly signal: string;
  readonly metric: string;
  readonly method: TreeMethod;
  readonly rf: number;
  readonly normalized: number;
  readonly max: number;
  /** Mean bootstrap support of the estimated tree's splits that are in the truth, and of those that are not. */
  readonly supportTrue?: number;
  readonly supportFalse?: number;
  readonly newick: string;
}

function score(tree: Tree, truth: Tree, signal: string, metric: string, method: TreeMethod): TreeScore {
  const rf = robinsonFoulds(tree, truth);
  const cmp = compareSplits(tree, truth);
  const mean = (xs: (number | undefined)[]) => {
    const v = xs.filter((x): x is number => x !== undefined);
    return v.length === 0 ? undefined : v.reduce((a, b) => a + b, 0) / v.length;
  };
  const supportTrue = mean(cmp.shared.map((s) => s.support));
  const supportFalse = mean(cmp.onlyA.map((s) => s.support));
  return {
    signal,
    metric,
    method,
    ...rf,
    ...(supportTrue !== undefined ? { supportTrue } : {}),
    ...(supportFalse !== undefined ? { supportFalse } : {}),
    newick: writeNewick(tree),
  };
}

/** Every phenotype signal by every tree method, with bootstrap support over probes. */
export function phenotypeScores(data: RunData, truth: Tree, bootstrap: number, seed: number): TreeScore[] {
  const out: TreeScore[] = [];
  for (const signal of TEXT_SIGNALS) {
    for (const method of TREE_METHODS) {
      try {
        const a = analyseRun(data, { signal, method, bootstrap, seed });
        out.push(score(a.tree, truth, signal, a.matrix.metric, method));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
      }
    }
  }
  return out;
}

/** A run restricted to some probes and to the first `samplesPerProbe` samples of each. */
export function subsetRun(data: RunData, probes: ReadonlySet<string> | undefined, samplesPerProbe: number): RunData {
  return {
    run: data.run,
    samples: data.samples.filter((s) => s.index < samplesPerProbe && (!probes || probes.has(s.probe))),
  };
}

export interface BudgetPoint {
  /** Queries per model. */
  readonly queries: number;
  readonly probes: string;
  readonly samplesPerProbe: number;
  /** Mean normalized RF over the draws, per signal (undefined where the signal cannot be computed). */
  readonly normalized: Partial<Record<Signal, number>>;
}

/**
 * The budget curve: normalized RF of each signal's tree (default method) as queries per model grow, by more samples
 * per probe (all probes) and by more probes (all samples; a mean over seeded random probe subsets).
 */
export function budgetCurve(data: RunData, truth: Tree, seed: number, draws = 5): BudgetPoint[] {
  const models = new Set(data.samples.map((s) => s.model)).size;
  const maxSamples = Math.max(...data.run.suite.probes.map((p) => p.samples ?? data.run.samples));
  const probeIds = data.run.suite.probes.map((p) => String(p.id));
  const points: BudgetPoint[] = [];
  const evalAt = (subsets: (ReadonlySet<string> | undefined)[], k: number, label: string) => {
    const normalized: Partial<Record<Signal, number>> = {};
    let queries = 0;
    for (const signal of TEXT_SIGNALS) {
      const vals: number[] = [];
      for (const subset of subsets) {
        const d = subsetRun(data, subset, k);
        queries = d.samples.length / models;
        try {
          vals.push(robinsonFoulds(analyseRun(d, { signal }).tree, truth).normalized);
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }
      if (vals.length > 0) normalized[signal] = vals.reduce((a, b) => a + b, 0) / vals.length;
    }
    points.push({ queries, probes: label, samplesPerProbe: k, normalized });
  };
  for (let k = 1; k < maxSamples; k *= 2) evalAt([undefined], k, 'all');
  for (const fraction of [0.25, 0.5]) {
    const subsets: Set<string>[] = [];
    let state = seed >>> 0;
    for (let d = 0; d < draws; d++) {
      // Seeded shuffle (LCG): a different subset per draw, the same on every run.
      const ids = [...probeIds];
      for (let i = ids.length - 1; i > 0; i--) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const j = state % (i + 1);
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
      subsets.push(new Set(ids.slice(0, Math.max(3, Math.round(fraction * ids.length)))));
    }
    evalAt(subsets, maxSamples, `${Math.round(fraction * 100)}% (mean of ${draws} draws)`);
  }
  evalAt([undefined], maxSamples, 'all');
  return points.sort((a, b) => a.queries - b.queries);
}

export interface LayerRow {
  readonly layer: string;
  readonly parameters: number;
  /** Per metric: correlation with the true patristic distances (Pearson) and rank (1 = most lineage-informative). */
  readonly byMetric: Record<string, { readonly pearson: number; readonly rank: number; readonly separation: number }>;
}

export interface GenotypeResult {
  readonly scores: TreeScore[];
  readonly layers: LayerRow[];
  /** Spearman correlation of layer rankings between metric pairs (do L1, L2 and cosine agree on what matters?). */
  readonly agreement: {
    readonly a: string;
    readonly b: string;
    readonly spearman: number;
    readonly sameTop: boolean;
  }[];
}

const GENO_METRICS: readonly GenotypeMetric[] = ['l2', 'l1', 'cosine'];

function rankCorrelation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (a[i]! - b[i]!) ** 2;
  return n < 2 ? NaN : 1 - (6 * d2) / (n * (n * n - 1));
}

export async function genotypeAnalysis(
  files: readonly string[],
  labels: readonly string[],
  truth: Tree,
): Promise<GenotypeResult> {
  const cmp = await compareModels(files, { labels });
  const scores: TreeScore[] = [];
  for (const metric of GENO_METRICS) {
    const m = genotypeMatrix(cmp, { metric });
    for (const method of TREE_METHODS) scores.push(score(buildTree(method, m), truth, 'genotype', metric, method));
  }
  const reference: DistanceMatrix = patristicDistances(truth);
  const per = new Map<string, Map<string, { pearson: number; rank: number; separation: number; parameters: number }>>();
  for (const metric of GENO_METRICS) {
    for (const r of layerImportance(cmp, { metric, reference })) {
      const row = per.get(r.layer) ?? new Map();
      row.set(metric, { pearson: r.pearson, rank: r.rank, separation: r.separation, parameters: r.parameters });
      per.set(r.layer, row);
    }
  }
  const layers: LayerRow[] = [...per.entries()].map(([layer, row]) => ({
    layer,
    parameters: [...row.values()][0]!.parameters,
    byMetric: Object.fromEntries(
      [...row.entries()].map(([k, v]) => [k, { pearson: v.pearson, rank: v.rank, separation: v.separation }]),
    ),
  }));
  layers.sort((x, y) => x.byMetric.l2!.rank - y.byMetric.l2!.rank);
  const agreement: GenotypeResult['agreement'] = [];
  for (let i = 0; i < GENO_METRICS.length; i++) {
    for (let j = i + 1; j < GENO_METRICS.length; j++) {
      const a = GENO_METRICS[i]!;
      const b = GENO_METRICS[j]!;
      const ra = layers.map((l) => l.byMetric[a]!.rank);
      const rb = layers.map((l) => l.byMetric[b]!.rank);
      agreement.push({
        a,
        b,
        spearman: rankCorrelation(ra, rb),
        sameTop:
          layers.find((l) => l.byMetric[a]!.rank === 1)?.layer === layers.find((l) => l.byMetric[b]!.rank === 1)?.layer,
      });
    }
  }
  return { scores, layers, agreement };
}

/** Next-byte distributions of a model at the end of each prefix. */
function nextByteDistributions(model: Model, prefixes: readonly string[]): Float64Array[] {
  const dec = new Decoder(model);
  const { vocab, ctx } = model.layout.config;
  return prefixes.map((p) => {
    dec.reset();
    const toks = Array.from(encode(p, vocab)).slice(-ctx);
    for (const t of toks.length > 0 ? toks : [10]) dec.push(t);
    let max = -Infinity;
    for (const l of dec.logits) max = Math.max(max, l);
    const out = new Float64Array(vocab);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += out[v] = Math.exp(dec.logits[v]! - max);
    for (let v = 0; v < vocab; v++) out[v]! /= sum;
    return out;
  });
}

/** Jensen-Shannon divergence in bits (Lin 1991). */
export function jensenShannon(p: Float64Array, q: Float64Array): number {
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) js += 0.5 * p[i]! * Math.log2(p[i]! / m);
    if (q[i]! > 0) js += 0.5 * q[i]! * Math.log2(q[i]! / m);
  }
  return js;
}

/**
 * The noise-free phenotype: mean Jensen-Shannon divergence between two models' next-byte distributions at every
 * position of the suite's prefixes. No sampling is involved, so it is the ceiling of what any phenotype computed from
 * sampled text can see (it still sees outputs only, never weights).
 */
export async function nextByteScores(
  files: readonly string[],
  labels: readonly string[],
  prefixes: readonly string[],
  truth: Tree,
): Promise<{ scores: TreeScore[]; matrix: DistanceMatrix }> {
  const dists: Float64Array[][] = [];
  for (const f of files) {
    const { model } = await loadCheckpoint(f);
    const contexts = prefixes.flatMap((p) =>
      Array.from({ length: Math.min(p.length, model.layout.config.ctx) }, (_, i) => p.slice(0, i + 1)),
    );
    dists.push(nextByteDistributions(model, contexts));
  }
  const n = files.length;
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let js = 0;
      for (let k = 0; k < dists[i]!.length; k++) js += jensenShannon(dists[i]![k]!, dists[j]![k]!);
      values[i * n + j] = values[j * n + i] = js / dists[i]!.length;
    }
  }
  const m = makeDistanceMatrix(labels, values, 'next-byte', 'js');
  return {
    scores: TREE_METHODS.map((method) => score(buildTree(method, m), truth, 'next-byte (noise-free)', 'js', method)),
    matrix: m,
  };
}

/** For each leaf, its nearest other leaf by a matrix: is it its sibling in the truth, does it share the last dataset? */
export function nearestLeafStats(
  m: DistanceMatrix,
  sibling: (a: string) => string | undefined,
  lastDataset: (a: string) => string,
): { sibling: number; sameLast: number; total: number } {
  const n = m.labels.length;
  let sib = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    for (let j = 0; j < n; j++) if (j !== i && (best < 0 || m.values[i * n + j]! < m.values[i * n + best]!)) best = j;
    if (sibling(m.labels[i]!) === m.labels[best]) sib++;
    if (lastDataset(m.labels[i]!) === lastDataset(m.labels[best]!)) same++;
  }
  return { sibling: sib, sameLast: same, total: n };
}

/**
 * A black-box phenotype from logprobs, as an OpenAI-style API returns them: each probe asked once for one token
 * with its top-k alternatives; a model's answer to a probe is the distribution over the first byte (the top-k
 * probabilities plus one bucket for the rest), and two models differ by the mean Jensen-Shannon divergence of
 * these distributions. No sampling noise; it costs one query per probe.
 */
export const LOGPROB_TOP = 20;

/** The suite as logprob probes; with `every` > 0, each raw prefix is also asked cut after every `every` characters. */
export function logprobSuite(suite: Suite, every = 0): Suite {
  const { file: _file, ...rest } = suite;
  const probes = suite.probes.flatMap((p) => {
    const whole = { id: p.id, tags: p.tags, prompt: p.prompt };
    if (every <= 0 || p.prompt.kind !== 'prefix') return [whole];
    const text = p.prompt.prefix;
    const cuts = [];
    for (let i = every; i < text.length; i += every)
      cuts.push({
        id: probeId(`${p.id}@${i}`),
        tags: [...p.tags, 'cut'],
        prompt: { kind: 'prefix' as const, prefix: text.slice(0, i) },
      });
    return [...cuts, whole];
  });
  return {
    ...rest,
    name: `${suite.name}-logprobs${every > 0 ? `-every${every}` : ''}`,
    description: `${suite.description} (one token with top-${LOGPROB_TOP} logprobs per probe)`,
    defaults: {
      samples: 1,
      sampling: { ...suite.defaults.sampling, temperature: 1, maxTokens: 1, topLogprobs: LOGPROB_TOP },
    },
    probes,
  };
}

/** The logprob run's distance matrix: the analysis's `logprobs` signal over every probe. */
export function logprobMatrix(data: RunData): DistanceMatrix {
  return logprobsSignal(data, responseTable(data)).matrix();
}

/** Every tree method on a logprob run, through the analysis's `logprobs` signal (one implementation, as `phylo tree`). */
export function logprobScores(data: RunData, truth: Tree, label: string, bootstrap: number, seed: number): TreeScore[] {
  return TREE_METHODS.map((method) => {
    const a = analyseRun(data, { signal: 'logprobs', method, bootstrap, seed });
    return score(a.tree, truth, label, a.matrix.metric, method);
  });
}

export interface EdgeEffect {
  readonly node: string;
  readonly parent: string;
  readonly dataset: string;
  readonly steps: number;
  /** ||theta_node - theta_parent||_2 and the same relative to ||theta_parent||_2. */
  readonly genotypeL2: number;
  readonly genotypeRelative: number;
  /** Mean Jensen-Shannon divergence (bits) of next-byte distributions over the suite's prefixes. */
  readonly phenotypeJs: number;
  /** Held-out bits per byte, node minus parent, on every dataset. */
  readonly deltaBpb: Readonly<Record<string, number>>;
}

export interface DatasetRow {
  readonly dataset: string;
  readonly edges: number;
  readonly genotypeL2PerStep: number;
  readonly phenotypeJsPerStep: number;
  readonly deltaOwn: number;
  readonly deltaOthers: number;
  readonly deltaBy: Readonly<Record<string, number>>;
}

/** How far each fine-tuning edge moves weights, outputs and held-out loss; then averaged by dataset. */
export async function datasetEffects(
  zooDir: string,
  prefixes: readonly string[],
): Promise<{ edges: EdgeEffect[]; datasets: DatasetRow[] }> {
  const zoo = await listZoo(zooDir);
  const cache = new Map<string, { model: Model; meta: CheckpointMeta; dist: Float64Array[] }>();
  const get = async (name: string) => {
    let hit = cache.get(name);
    if (!hit) {
      const entry = zoo.get(name);
      if (!entry)
        throw new InputError(
          `zoo ${zooDir}: checkpoint of ${name} is missing (a parent of another model); retrain with phylo lab train`,
        );
      const { model, meta } = await loadCheckpoint(entry.file);
      hit = { model, meta, dist: nextByteDistributions(model, prefixes) };
      cache.set(name, hit);
    }
    return hit;
  };
  const edges: EdgeEffect[] = [];
  for (const { meta } of zoo.values()) {
    if (meta.parent === null) continue;
    const node = await get(meta.name);
    const parent = await get(meta.parent);
    let d2 = 0;
    let p2 = 0;
    for (let i = 0; i < node.model.params.length; i++) {
      const d = node.model.params[i]! - parent.model.params[i]!;
      d2 += d * d;
      p2 += parent.model.params[i]! ** 2;
    }
    let js = 0;
    for (let k = 0; k < prefixes.length; k++) js += jensenShannon(node.dist[k]!, parent.dist[k]!);
    const deltaBpb: Record<string, number> = {};
    for (const [id, v] of Object.entries(meta.heldOut)) deltaBpb[id] = v - (parent.meta.heldOut[id] ?? NaN);
    edges.push({
      node: meta.name,
      parent: meta.parent,
      dataset: meta.datasets.join('+'),
      steps: meta.steps,
      genotypeL2: Math.sqrt(d2),
      genotypeRelative: Math.sqrt(d2 / p2),
      phenotypeJs: js / Math.max(1, prefixes.length),
      deltaBpb,
    });
  }
  const byDataset = new Map<string, EdgeEffect[]>();
  for (const e of edges) byDataset.set(e.dataset, [...(byDataset.get(e.dataset) ?? []), e]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const datasets: DatasetRow[] = [...byDataset.entries()].map(([dataset, es]) => {
    const ids = Object.keys(es[0]!.deltaBpb);
    const deltaBy = Object.fromEntries(ids.map((id) => [id, mean(es.map((e) => e.deltaBpb[id]!))]));
    return {
      dataset,
      edges: es.length,
      genotypeL2PerStep: mean(es.map((e) => e.genotypeL2 / e.steps)),
      phenotypeJsPerStep: mean(es.map((e) => e.phenotypeJs / e.steps)),
      deltaOwn: deltaBy[dataset] ?? NaN,
      deltaOthers: mean(ids.filter((id) => id !== dataset).map((id) => deltaBy[id]!)),
      deltaBy,
    };
  });
  datasets.sort((a, b) => a.deltaOthers - b.deltaOthers);
  return { edges, datasets };
}

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
  /** Under the noise-free phenotype, how many leaves have their true sibling, or a leaf with the same last dataset, as nearest neighbour. */
  readonly recency: { readonly sibling: number; readonly sameLast: number; readonly total: number };
  readonly budget: BudgetPoint[];
  readonly genotype: GenotypeResult;
  readonly edges: EdgeEffect[];
  readonly datasets: DatasetRow[];
  readonly seconds: {
    readonly collect: number;
    readonly phenotype: number;
    readonly genotype: number;
    readonly datasets: number;
  };
}

export async function runExperiment(options: {
  store: SqliteStore;
  suite: Suite;
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
    `phenotype: ${TEXT_SIGNALS.length} signals x ${TREE_METHODS.length} methods, ${options.bootstrap} bootstrap replicates`,
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
    genotype,
    edges,
    datasets,
    seconds: {
      collect: (t1 - t0) / 1000,
      phenotype: (t2 - t1) / 1000,
      genotype: (t3 - t2) / 1000,
      datasets: (t4 - t3) / 1000,
    },
  };
}

const f = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

export function bestPhenotype(report: Pick<ExperimentReport, 'phenotype'>): TreeScore | undefined {
  return [...report.phenotype].sort(
    (a, b) => a.normalized - b.normalized || (b.supportTrue ?? 0) - (a.supportTrue ?? 0),
  )[0];
}

/** The report as markdown (lab/zoo/EXPERIMENT.md). */
export function experimentMarkdown(r: ExperimentReport): string {
  const L: string[] = [];
  L.push('# The lab experiment: estimated trees against the known lineage', '');
  L.push(
    `Generated by \`phylo lab experiment\` on the zoo in \`${path.basename(r.zoo)}\`: ${r.models.length} leaf models, run \`${r.run}\` (${r.queriesPerModel} queries per model), ${r.bootstrap} bootstrap replicates over probes. Collection ${f(r.seconds.collect, 0)} s, phenotype analysis ${f(r.seconds.phenotype, 0)} s, genotype ${f(r.seconds.genotype, 0)} s, dataset effects ${f(r.seconds.datasets, 0)} s.`,
    '',
  );
  L.push('Ground truth (branch lengths in training steps):', '', '```', r.truth, '```', '');
  L.push(
    'RF is the unrooted Robinson-Foulds distance to the truth; normalized RF = RF / 2(n-3) (0 = same tree, 1 = no split in common). Support: mean bootstrap support of the estimated splits that are true / false.',
    '',
  );
  L.push('## Genotype (weights)', '');
  L.push('| metric | method | RF | normalized RF |', '|---|---|---:|---:|');
  for (const s of r.genotype.scores) L.push(`| ${s.metric} | ${s.method} | ${s.rf} | ${f(s.normalized)} |`);
  L.push('', '## Phenotype (outputs)', '');
  L.push(
    '| signal | metric | method | RF | normalized RF | support (true splits) | support (false splits) |',
    '|---|---|---|---:|---:|---:|---:|',
  );
  for (const s of r.phenotype)
    L.push(
      `| ${s.signal} | ${s.metric} | ${s.method} | ${s.rf} | ${f(s.normalized)} | ${f(s.supportTrue, 2)} | ${f(s.supportFalse, 2)} |`,
    );
  for (const s of r.logprobs)
    L.push(
      `| ${s.signal} | ${s.metric} | ${s.method} | ${s.rf} | ${f(s.normalized)} | ${f(s.supportTrue, 2)} | ${f(s.supportFalse, 2)} |`,
    );
  for (const s of r.nextByte)
    L.push(`| ${s.signal} | ${s.metric} | ${s.method} | ${s.rf} | ${f(s.normalized)} | - | - |`);
  const best = bestPhenotype(r);
  L.push(
    '',
    `Rows \`logprobs\`: one query per probe for one token with its top-${LOGPROB_TOP} logprobs (as the OpenAI API returns them), at the suite's prefixes (${r.logprobQueriesPerModel[0]} queries per model) and also at cuts of every prefix after every 4 characters (${r.logprobQueriesPerModel[1]} queries); distance = mean Jensen-Shannon divergence of the first-byte distributions (the \`logprobs\` signal of \`phylo tree\`, with bootstrap over probes). Rows \`next-byte (noise-free)\`: the same divergence computed in process at every position of every prefix, the ceiling of any output-based signal.`,
  );
  L.push(
    '',
    `Under the noise-free next-byte phenotype, ${r.recency.sibling} of ${r.recency.total} leaves have their true sibling as nearest neighbour, and ${r.recency.sameLast} of ${r.recency.total} a leaf fine-tuned last on the same dataset (siblings never share it). ${r.recency.sameLast > r.recency.sibling ? 'The outputs remember the most recent fine-tuning more than the lineage (convergence on the last dataset).' : 'The lineage is in the outputs; where the sampled-text signals miss it, the differences are below their sampling noise.'}`,
  );
  if (best)
    L.push(
      '',
      `Best phenotype tree: ${best.signal} / ${best.method}, normalized RF ${f(best.normalized)}:`,
      '',
      '```',
      best.newick,
      '```',
    );
  L.push('', '## Budget: normalized RF against queries per model', '');
  L.push(
    `| queries per model | probes | samples per probe | ${TEXT_SIGNALS.join(' | ')} |`,
    `|---:|---|---:|${TEXT_SIGNALS.map(() => '---:').join('|')}|`,
  );
  for (const p of r.budget)
    L.push(
      `| ${f(p.queries, 0)} | ${p.probes} | ${p.samplesPerProbe} | ${TEXT_SIGNALS.map((s) => f(p.normalized[s])).join(' | ')} |`,
    );
  L.push(
    '',
    'Each signal with its default tree method (as `phylo tree` builds it). Alleles need repeated samples: absent at one sample per probe.',
  );
  L.push('', '## Layer importance (genotype)', '');
  L.push(
    "Pearson correlation of each layer's pairwise distances with the true patristic distances, and the layer's rank (1 = most lineage-informative), by metric.",
    '',
  );
  L.push(
    '| layer | parameters | L2 r | L2 rank | L1 r | L1 rank | cosine r | cosine rank |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const l of r.genotype.layers) {
    const m = (k: string) => `${f(l.byMetric[k]?.pearson)} | ${l.byMetric[k]?.rank ?? '-'}`;
    L.push(`| ${l.layer} | ${l.parameters} | ${m('l2')} | ${m('l1')} | ${m('cosine')} |`);
  }
  L.push('', 'Do the metrics agree on which layers matter?', '');
  for (const a of r.genotype.agreement)
    L.push(
      `- ${a.a} vs ${a.b}: Spearman rank correlation ${f(a.spearman, 2)}, ${a.sameTop ? 'same' : 'different'} most informative layer`,
    );
  L.push('', '## Contribution of each dataset', '');
  L.push(
    "Per fine-tuning edge (parent -> child on one dataset), averaged by dataset: how far it moves the weights (L2 per step) and the outputs (Jensen-Shannon divergence of next-byte distributions at the suite's prefixes, bits, per step), and what it does to held-out bits per byte on its own dataset and on the others (negative = better). Sorted by the mean effect on the other datasets: the first row carries the most transferable information.",
    '',
  );
  const ids = r.datasets.length > 0 ? Object.keys(r.datasets[0]!.deltaBy) : [];
  L.push(
    `| fine-tuned on | edges | genotype L2 / step | phenotype JS / step | own d(bpb) | others d(bpb) | ${ids.join(' | ')} |`,
    `|---|---:|---:|---:|---:|---:|${ids.map(() => '---:').join('|')}|`,
  );
  for (const d of r.datasets)
    L.push(
      `| ${d.dataset} | ${d.edges} | ${f(d.genotypeL2PerStep, 4)} | ${f(d.phenotypeJsPerStep * 1000, 3)}e-3 | ${f(d.deltaOwn)} | ${f(d.deltaOthers)} | ${ids.map((i) => f(d.deltaBy[i])).join(' | ')} |`,
    );
  L.push('', '### Every edge', '');
  L.push(
    `| node | parent | dataset | steps | genotype L2 | relative | phenotype JS | ${ids.join(' | ')} |`,
    `|---|---|---|---:|---:|---:|---:|${ids.map(() => '---:').join('|')}|`,
  );
  for (const e of r.edges)
    L.push(
      `| ${e.node} | ${e.parent} | ${e.dataset} | ${e.steps} | ${f(e.genotypeL2)} | ${f(e.genotypeRelative, 4)} | ${f(e.phenotypeJs, 4)} | ${ids.map((i) => f(e.deltaBpb[i])).join(' | ')} |`,
    );
  return `${L.join('\n')}\n`;
}
