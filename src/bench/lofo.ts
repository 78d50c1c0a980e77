// Leave-one-family-out validation of the default analysis on the real AlpacaEval data (../shared/data/alpaca_eval,
// 38 models x 805 probes, 14 families of at least two): for every signal variant x tree method, the families recovered
// as clades and 1-NN family accuracy; then, for each family in turn, the configuration that does best on the OTHER
// families is chosen and we record whether it recovers the held-out one. The labels score configurations; they never
// enter a distance or a tree. The default should be what this selection chooses, not what does best on all 14.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysedRun } from '../analysis/analysed-run.js';
import { DEFAULT_EMBED, DEFAULT_METHOD, DEFAULT_SIGNAL, type EmbedOptions } from '../analysis/signals/index.js';
import type { DistanceMatrix } from '../core/matrix.js';
import type { RunData } from '../core/run.js';
import { combineMatrices } from '../distance/combine.js';
import type { FeatureKind } from '../phenotype/features.js';
import {
  buildTree,
  familyClades,
  nearestNeighbourAccuracy,
  patristicDistances,
  TREE_METHODS,
  type TreeMethod,
} from '../phylo/index.js';
import { importAlpacaEval } from '../store/import-alpaca-eval.js';
import { openStore } from '../store/sqlite.js';
import { alpacaDataDir, alpacaFamilies } from './alpaca-data.js';
import type { Benchmark } from './index.js';

type Families = ReadonlyMap<string, string>;

/** One way to get a matrix: the signal and, for the embed part, its features and per-probe distance. */
interface SignalVariant {
  readonly name: string;
  readonly matrix: DistanceMatrix;
  readonly seconds: number;
}

interface Outcome {
  readonly variant: string;
  readonly method: TreeMethod;
  /** Families (of at least two members) that are clades of the unrooted tree. */
  readonly recovered: ReadonlySet<string>;
  readonly families: number;
  /** Per model whose family has another member: is its nearest model by patristic distance of its family? */
  readonly nnTree: ReadonlyMap<string, boolean>;
  /** The same by the matrix (the signal alone, before any tree). */
  readonly nnMatrix: ReadonlyMap<string, boolean>;
}

const label = (o: Outcome) => `${o.variant} / ${o.method}`;
const FEATURES: readonly FeatureKind[] = ['words', 'word-punct', 'char'];
const PER_PROBE: readonly EmbedOptions['perProbe'][] = ['nn-vote', 'cosine'];

function embedOptions(features: FeatureKind, perProbe: EmbedOptions['perProbe']): EmbedOptions {
  const tfidfFeatures =
    features === 'char'
      ? { kind: features, ngram: [3, 5] as const, stopWords: false }
      : { ...DEFAULT_EMBED.tfidf.features, kind: features };
  return { ...DEFAULT_EMBED, perProbe, tfidf: { ...DEFAULT_EMBED.tfidf, features: tfidfFeatures } };
}

/** Every text signal this run gives: embed variants, traits, and each embed variant combined with traits. */
function signalVariants(data: RunData, say: (line: string) => void): SignalVariant[] {
  const timed = (name: string, make: () => DistanceMatrix): SignalVariant => {
    const t0 = performance.now();
    const matrix = make();
    const seconds = (performance.now() - t0) / 1000;
    say(`  ${name}: ${seconds.toFixed(1)} s`);
    return { name, matrix, seconds };
  };
  const base = new AnalysedRun(data);
  if (!base.signals.includes('alleles'))
    say('  alleles: not available (one sample per probe; PhyloLM genes need several)');
  const traits = timed('traits', () => base.matrix('traits'));
  const out: SignalVariant[] = [traits];
  for (const features of FEATURES) {
    for (const perProbe of PER_PROBE) {
      const embed = embedOptions(features, perProbe);
      const isDefault = features === DEFAULT_EMBED.tfidf.features.kind && perProbe === DEFAULT_EMBED.perProbe;
      const run = isDefault ? base : new AnalysedRun(data, { embed });
      const name = `embed ${features} ${perProbe}`;
      const e = timed(name, () => run.matrix('embed'));
      out.push(e);
      // The combined signal with equal weights over embed and traits (what `--signal combined` computes here).
      out.push(
        timed(`combined (${name} + traits)`, () =>
          isDefault
            ? base.matrix('combined')
            : combineMatrices([
                { matrix: e.matrix, weight: 1 },
                { matrix: traits.matrix, weight: 1 },
              ]),
        ),
      );
    }
  }
  return out;
}

function evaluate(variant: SignalVariant, method: TreeMethod, families: ReadonlyMap<string, string>): Outcome {
  const tree = buildTree(method, variant.matrix);
  const clades = familyClades(tree, families);
  const nn = nearestNeighbourAccuracy(patristicDistances(tree), families);
  return {
    variant: variant.name,
    method,
    recovered: new Set(clades.filter((c) => c.isClade).map((c) => c.family)),
    families: clades.length,
    nnTree: new Map(nn.calls.map((c) => [c.model, c.correct])),
    nnMatrix: new Map(nearestNeighbourAccuracy(variant.matrix, families).calls.map((c) => [c.model, c.correct])),
  };
}

/** Share of correct calls among the models of the families `keep` admits. */
function accuracyOn(calls: ReadonlyMap<string, boolean>, keep: (f: string) => boolean, families: Families): number {
  let correct = 0;
  let total = 0;
  for (const [model, ok] of calls) {
    if (!keep(families.get(model)!)) continue;
    total++;
    if (ok) correct++;
  }
  return total === 0 ? 0 : correct / total;
}

/** The selection criterion on the families `keep` admits: clades, then 1-NN in the tree, then 1-NN in the matrix. */
function scoreOn(o: Outcome, keep: (family: string) => boolean, families: Families): number[] {
  const clades = [...o.recovered].filter(keep).length;
  return [clades, accuracyOn(o.nnTree, keep, families), accuracyOn(o.nnMatrix, keep, families)];
}

const better = (a: readonly number[], b: readonly number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  return false;
};
const same = (a: readonly number[], b: readonly number[]) => a.every((x, i) => x === b[i]);

/** The outcomes scoring best on the families `keep` admits (all of them when tied), in table order. */
function best(outcomes: readonly Outcome[], keep: (f: string) => boolean, families: Families): Outcome[] {
  let top = scoreOn(outcomes[0]!, keep, families);
  for (const o of outcomes) {
    const s = scoreOn(o, keep, families);
    if (better(s, top)) top = s;
  }
  return outcomes.filter((o) => same(scoreOn(o, keep, families), top));
}

const share = (calls: ReadonlyMap<string, boolean>) => [...calls.values()].filter(Boolean).length / calls.size;
const nnOf = (o: Outcome) => share(o.nnTree);
const pad = (s: string, n: number) => s.padEnd(n);

function printTable(outcomes: readonly Outcome[], say: (line: string) => void): void {
  const w = Math.max(...outcomes.map((o) => o.variant.length));
  say(`${pad('signal variant', w)}  ${TREE_METHODS.map((m) => pad(m, 14)).join('')}1-NN by matrix`);
  const variants = [...new Set(outcomes.map((o) => o.variant))];
  for (const v of variants) {
    const row = outcomes.filter((o) => o.variant === v);
    const cells = TREE_METHODS.map((m) => {
      const o = row.find((x) => x.method === m)!;
      return pad(`${o.recovered.size}/${o.families} ${nnOf(o).toFixed(3)}`, 14);
    });
    say(`${pad(v, w)}  ${cells.join('')}${share(row[0]!.nnMatrix).toFixed(3)}`);
  }
}

export const benchmark: Benchmark = {
  name: 'lofo',
  run: async () => {
    const dir = alpacaDataDir();
    if (!dir) {
      process.stdout.write('skipped: ../shared/data/alpaca_eval not found\n');
      return;
    }
    const say = (line: string) => process.stdout.write(`${line}\n`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-lofo-'));
    let data: RunData;
    try {
      const store = openStore(results);
      importAlpacaEval(store, dir, { name: 'alpaca' });
      data = store.loadRun('alpaca' as never);
      store.close();
    } finally {
      fs.rmSync(results, { recursive: true, force: true });
    }
    const families = alpacaFamilies(dir);
    say(`${data.run.models.length} models; signal matrices:`);
    const variants = signalVariants(data, say);
    const outcomes = variants.flatMap((v) => TREE_METHODS.map((m) => evaluate(v, m, families)));
    const scored = [...new Set(outcomes[0]!.nnTree.keys())].map((m) => families.get(m)!);
    const familyNames = [...new Set(scored)].sort();

    say('\nfamilies recovered as clades / 1-NN accuracy by patristic distance, per signal variant and tree method:');
    printTable(outcomes, say);

    say('\nleave-one-family-out: for each family, the configuration best on the other families (clades, then 1-NN):');
    const chosen = new Map<string, number>();
    let recoveredHeldOut = 0;
    let expectedHeldOut = 0;
    for (const f of familyNames) {
      const tied = best(outcomes, (g) => g !== f, families);
      const pick = tied[0]!;
      chosen.set(label(pick), (chosen.get(label(pick)) ?? 0) + 1);
      const ok = pick.recovered.has(f);
      const share = tied.filter((o) => o.recovered.has(f)).length / tied.length;
      if (ok) recoveredHeldOut++;
      expectedHeldOut += share;
      say(
        `  ${pad(f, 17)} ${pad(label(pick), 42)} ${ok ? 'recovered' : 'MISSED   '}` +
          `  (${tied.length} tied; ${(100 * share).toFixed(0)}% of them recover it)`,
      );
    }
    say(
      `held-out families recovered: ${recoveredHeldOut}/${familyNames.length} by the first of the tied choices, ` +
        `${expectedHeldOut.toFixed(2)}/${familyNames.length} expected over ties`,
    );
    const ranked = [...chosen].sort((a, b) => b[1] - a[1]);
    say(`chosen most often: ${ranked.map(([c, n]) => `${c} (${n})`).join(', ')}`);
    const all = best(outcomes, () => true, families);
    const describe = (o: Outcome) => {
      const missed = familyNames.filter((f) => !o.recovered.has(f));
      const wrong = (calls: ReadonlyMap<string, boolean>) => [...calls].filter(([, ok]) => !ok).map(([m]) => m);
      return (
        `${label(o)}: ${o.recovered.size}/${o.families} clades` +
        `${missed.length ? ` (misses ${missed.join(', ')})` : ''}, ` +
        `1-NN ${nnOf(o).toFixed(3)} in the tree (wrong: ${wrong(o.nnTree).join(', ') || 'none'}), ` +
        `${share(o.nnMatrix).toFixed(3)} in the matrix (wrong: ${wrong(o.nnMatrix).join(', ') || 'none'})`
      );
    };
    say(`selection on all families (${all.length} tied):`);
    for (const o of all) say(`  ${describe(o)}`);
    const current = outcomes.find(
      (o) =>
        o.variant === `embed ${DEFAULT_EMBED.tfidf.features.kind} ${DEFAULT_EMBED.perProbe}` &&
        o.method === DEFAULT_METHOD[DEFAULT_SIGNAL],
    );
    if (current) say(`current default:\n  ${describe(current)}`);
    const cpu = process.cpuUsage(cpu0);
    say(
      `total ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (target < 300 s)`,
    );
  },
};
