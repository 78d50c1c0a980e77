// `phylo lab audit-check`: calibration and power of the equality test (src/audit/equality.ts) on the lab zoo, whose
// lineage is known. Collects afresh (new seeds, never the cache), then measures (a) the false-positive rate over null
// tests, (b) the power against the sibling, a cousin and int8 / int4 substitutes, (c) power by queries per model,
// (d) identification of every leaf against the zoo. Every random choice derives from one seed.
import { testEquality, type EqualityResult } from '../../audit/equality.js';
import type { Suite } from '../../core/types.js';
import type { Tree } from '../../phylo/tree.js';
import { loadCheckpoint } from '../checkpoint.js';
import { sampleSeed } from '../decode.js';
import { quantizationError, quantizeModel } from '../quantize.js';
import { checkpointFile } from '../zoo.js';
import { collectAll, samplesOf, type CollectedTexts } from './collect.js';
import { ALTERNATIVES, designCheck, genesOf, type Alternative, type CheckDesign, type TestSpec } from './design.js';

export interface AuditCheckOptions {
  readonly zooDir: string;
  readonly truth: Tree;
  readonly suite: Suite;
  readonly seed: number;
  readonly queries: number;
  readonly nullTests: number;
  readonly budgets: readonly number[];
  readonly replicates: number;
  readonly permutations: number;
  /** Collection threads (0: in this thread). */
  readonly workers: number;
  readonly onStage?: (line: string) => void;
}

type Rates = Record<Alternative, number>;

export interface BudgetPoint {
  readonly queries: number;
  readonly power: Rates;
  readonly tests: Rates;
}

export interface IdentifyRow {
  readonly leaf: string;
  readonly nearest: string;
  readonly statistic: number;
  /** The equality test of the fresh collection against its own leaf's reference. */
  readonly pValueOwn: number;
  /** The runner-up and its statistic (how clear the call was). */
  readonly runnerUp: string;
  readonly runnerUpStatistic: number;
}

export interface AuditCheckReport {
  readonly seed: number;
  readonly design: {
    readonly suite: string;
    readonly genes: number;
    readonly queryMix: string;
    readonly quantization: string;
    readonly permutations: number;
    readonly replicates: number;
    readonly leaves: readonly string[];
    readonly relatives: Record<string, { sibling: string; cousins: readonly string[] }>;
  };
  readonly queries: number;
  readonly nullTests: number;
  readonly falsePositiveRate: { readonly '0.05': number; readonly '0.01': number };
  /** 95% Wilson score intervals of the false-positive rates. */
  readonly falsePositiveInterval: { readonly '0.05': [number, number]; readonly '0.01': [number, number] };
  /** Null p-values in ten bins of width 0.1 (uniform when the test is calibrated). */
  readonly nullPValueHistogram: readonly number[];
  /** Power at alpha 0.05 with `queries` queries per model. */
  readonly power: Rates;
  readonly powerTests: Rates;
  /** Mean effect (MMD² of 3-gram profiles) against each alternative, and between null pairs, at `queries`. */
  readonly meanEffect: Rates & { readonly null: number };
  /** Power at alpha 0.05 by queries per model (the budget curve). */
  readonly queriesPerModel: readonly BudgetPoint[];
  readonly identifyTop1: number;
  readonly identify: readonly IdentifyRow[];
  /** Relative L2 error of the quantized weight matrices, mean over leaves. */
  readonly quantizationError: { readonly int8: number; readonly int4: number };
  readonly collected: { readonly collections: number; readonly queries: number; readonly decoderSteps: number };
  readonly timings: {
    readonly collectSeconds: number;
    readonly testSeconds: number;
    readonly totalSeconds: number;
    readonly decoderStepsPerSecond: number;
  };
}

/** Wilson score interval for k successes in n (Wilson 1927). */
export function wilson(k: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits));
const share = (xs: readonly boolean[]) => (xs.length === 0 ? Number.NaN : xs.filter(Boolean).length / xs.length);
const mean = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((s, v) => s + v, 0) / xs.length);

/** Runs the tests of a design over collected texts. */
class Tester {
  private readonly at = new Date().toISOString();

  constructor(
    private readonly design: CheckDesign,
    private readonly texts: ReadonlyMap<string, CollectedTexts>,
    private readonly seed: number,
    private readonly permutations: number,
  ) {}

  private samples(id: string, queries: number) {
    const spec = this.design.collections.find((c) => c.id === id)!;
    return samplesOf(spec, this.texts.get(id)!.texts, this.design.genes, queries, this.at);
  }

  run(t: TestSpec): EqualityResult {
    const a = this.samples(t.a, t.queries);
    const b = this.samples(t.b, t.queries);
    return testEquality(
      { model: t.a, samples: a },
      { model: t.b, samples: b },
      { permutations: this.permutations, seed: sampleSeed(this.seed, 'permutations', t.id, 0), bootstrap: 0 },
    );
  }
}

async function meanQuantizationError(zooDir: string, leaves: readonly string[]) {
  const errs = { int8: [] as number[], int4: [] as number[] };
  for (const leaf of leaves) {
    const { model } = await loadCheckpoint(checkpointFile(zooDir, leaf));
    errs.int8.push(quantizationError(model, quantizeModel(model, 8)));
    errs.int4.push(quantizationError(model, quantizeModel(model, 4)));
  }
  return { int8: round(mean(errs.int8), 5), int4: round(mean(errs.int4), 5) };
}

export async function runAuditCheck(o: AuditCheckOptions): Promise<AuditCheckReport> {
  const t0 = performance.now();
  const stage = o.onStage ?? (() => {});
  const genes = genesOf(o.suite.probes, o.suite.defaults.sampling);
  const design = designCheck(genes, o.truth, o);
  const totalQueries = design.collections.reduce((s, c) => s + c.queries, 0);
  stage(
    `collecting ${design.collections.length} collections, ${totalQueries} queries over ${genes.length} genes ` +
      `on ${o.workers} worker thread(s)`,
  );
  let lastTenth = 0;
  const texts = await collectAll(design.collections, genes, o.zooDir, o.workers, (done, total) => {
    const tenth = Math.floor((10 * done) / total);
    if (tenth > lastTenth) stage(`  collected ${done}/${total}`);
    lastTenth = tenth;
  });
  const tCollected = performance.now();
  const tester = new Tester(design, texts, o.seed, o.permutations);

  stage(`testing: ${design.nullTests.length} null tests, ${design.powerTests.length} power tests`);
  const nulls = design.nullTests.map((t) => tester.run(t));
  const power = design.powerTests.map((t) => ({ spec: t, result: tester.run(t) }));
  stage(`identifying ${design.identify.length} leaves against the zoo`);
  const identify = design.identify.map(({ leaf, target, references }): IdentifyRow => {
    const ranked = references
      .map((ref, k) => {
        const r = tester.run({ id: `identify/${leaf}~${ref}`, a: target, b: ref, queries: o.queries });
        return { model: design.leaves[k]!, statistic: r.statistic, pValue: r.pValue };
      })
      .sort((x, y) => x.statistic - y.statistic || (x.model < y.model ? -1 : 1));
    return {
      leaf,
      nearest: ranked[0]!.model,
      statistic: round(ranked[0]!.statistic),
      pValueOwn: round(ranked.find((r) => r.model === leaf)!.pValue),
      runnerUp: ranked[1]?.model ?? '',
      runnerUpStatistic: round(ranked[1]?.statistic ?? Number.NaN),
    };
  });
  const tTested = performance.now();

  const rejects = (rs: readonly EqualityResult[], alpha: number) => rs.map((r) => r.pValue <= alpha);
  const byAlt = (alt: Alternative, q: number) =>
    power.filter((p) => p.spec.alternative === alt && p.spec.queries === q).map((p) => p.result);
  const rates = (f: (alt: Alternative) => number): Rates =>
    Object.fromEntries(ALTERNATIVES.map((a) => [a, round(f(a))])) as Rates;
  const budgets = [...new Set(design.powerTests.map((t) => t.queries))].sort((x, y) => x - y);
  const histogram = new Array<number>(10).fill(0);
  for (const r of nulls) histogram[Math.min(9, Math.floor(r.pValue * 10))]!++;
  const fp05 = rejects(nulls, 0.05).filter(Boolean).length;
  const fp01 = rejects(nulls, 0.01).filter(Boolean).length;
  const steps = [...texts.values()].reduce((s, c) => s + c.steps, 0);
  const quantization = await meanQuantizationError(o.zooDir, design.leaves);
  const tEnd = performance.now();
  return {
    seed: o.seed,
    design: {
      suite: `${o.suite.name} ${o.suite.version}`,
      genes: genes.length,
      queryMix:
        `the ${genes.length} genes of the suite, ${genes[0]?.maxTokens ?? 0} bytes at temperature ` +
        `${genes[0]?.temperature ?? 1}, text only; query i is sample floor(i/${genes.length}) ` +
        `of gene i mod ${genes.length}`,
      quantization: 'weight matrices round-to-nearest, symmetric, one scale per output channel; biases and norms kept',
      permutations: o.permutations,
      replicates: o.replicates,
      leaves: design.leaves,
      relatives: Object.fromEntries(design.relatives),
    },
    queries: o.queries,
    nullTests: nulls.length,
    falsePositiveRate: { '0.05': round(fp05 / nulls.length), '0.01': round(fp01 / nulls.length) },
    falsePositiveInterval: {
      '0.05': wilson(fp05, nulls.length).map((v) => round(v)) as [number, number],
      '0.01': wilson(fp01, nulls.length).map((v) => round(v)) as [number, number],
    },
    nullPValueHistogram: histogram,
    power: rates((a) => share(rejects(byAlt(a, o.queries), 0.05))),
    powerTests: rates((a) => byAlt(a, o.queries).length),
    meanEffect: {
      ...rates((a) => mean(byAlt(a, o.queries).map((r) => r.effect.estimate))),
      null: round(mean(nulls.map((r) => r.effect.estimate))),
    },
    queriesPerModel: budgets.map((q) => ({
      queries: q,
      power: rates((a) => share(rejects(byAlt(a, q), 0.05))),
      tests: rates((a) => byAlt(a, q).length),
    })),
    identifyTop1: round(share(identify.map((r) => r.nearest === r.leaf))),
    identify,
    quantizationError: quantization,
    collected: { collections: design.collections.length, queries: totalQueries, decoderSteps: steps },
    timings: {
      collectSeconds: round((tCollected - t0) / 1000, 1),
      testSeconds: round((tTested - tCollected) / 1000, 1),
      totalSeconds: round((tEnd - t0) / 1000, 1),
      decoderStepsPerSecond: Math.round(steps / Math.max(1e-9, (tCollected - t0) / 1000)),
    },
  };
}
