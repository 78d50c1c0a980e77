// `phylo tree RUN`: the phylogeny of a stored run's models from one signal, with bootstrap support over probes.
// Reads the store only; never queries a model.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { analyseRun, DEFAULT_METHOD, DEFAULT_SIGNAL, isSignal, type AnalysisResult } from '../analysis/analyse.js';
import { DEFAULT_COMBINE_WEIGHTS, DEFAULT_EMBED, SIGNALS, type CombineWeights, type EmbedOptions } from '../analysis/signals.js';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { runName } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import { writeMatrixTsv } from '../distance/matrix-io.js';
import type { FeatureKind } from '../phenotype/features.js';
import { isTreeMethod, renderTree, TREE_METHODS, writeNewick } from '../phylo/index.js';
import { openStoreReadonly } from '../store/sqlite.js';

interface TreeFlags {
  signal: string;
  method?: string;
  bootstrap: string;
  seed: string;
  root?: string;
  out?: string;
  json?: boolean;
  results?: string;
  perProbe: string;
  features: string;
  tf: string;
  alleleMetric: string;
  weights?: string;
  width?: string;
}

function wholeNumber(flag: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw new InputError(`${flag} ${text}: give a whole number >= ${min}`);
  return v;
}

function parseWeights(text: string | undefined): CombineWeights {
  if (text === undefined) return DEFAULT_COMBINE_WEIGHTS;
  const out: Record<string, number> = { embed: 0, traits: 0, alleles: 0 };
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    const w = Number(v);
    if (!k || !(k in out) || v === undefined || !Number.isFinite(w) || w < 0) {
      throw new InputError(`--weights ${text}: write signal=weight pairs, e.g. embed=2,traits=1,alleles=1 (signals: embed, traits, alleles)`);
    }
    out[k] = w;
  }
  return out as unknown as CombineWeights;
}

function embedOptions(flags: TreeFlags): EmbedOptions {
  if (flags.perProbe !== 'nn-vote' && flags.perProbe !== 'cosine') throw new InputError(`--per-probe ${flags.perProbe}: use nn-vote or cosine`);
  const kinds: FeatureKind[] = ['words', 'word-punct', 'char'];
  if (!kinds.includes(flags.features as FeatureKind)) throw new InputError(`--features ${flags.features}: use ${kinds.join(', ')}`);
  if (!['raw', 'sublinear', 'binary'].includes(flags.tf)) throw new InputError(`--tf ${flags.tf}: use raw, sublinear or binary`);
  const kind = flags.features as FeatureKind;
  return {
    perProbe: flags.perProbe,
    tfidf: {
      ...DEFAULT_EMBED.tfidf,
      tf: flags.tf as EmbedOptions['tfidf']['tf'],
      features: kind === 'char' ? { kind, ngram: [3, 5], stopWords: false } : { ...DEFAULT_EMBED.tfidf.features, kind },
    },
  };
}

/** What summary.json holds: the settings, the numbers and where the files are. */
export function treeSummary(run: string, result: AnalysisResult, files: Record<string, string>): Record<string, unknown> {
  return {
    run,
    signal: result.signal,
    method: result.method,
    metric: result.matrix.metric,
    bootstrap: result.bootstrap,
    seed: result.seed,
    root: result.root ?? null,
    models: result.models,
    probes: result.probes,
    perSignal: result.perSignal,
    timings: result.timings,
    warnings: result.warnings,
    newick: writeNewick(result.tree),
    files,
  };
}

export function register(program: Command): void {
  program
    .command('tree')
    .description('build the phylogeny of a stored run from its responses (no model is queried)')
    .argument('<run>', 'run name (see phylo runs)')
    .option('--signal <signal>', `${SIGNALS.join(' | ')}`, DEFAULT_SIGNAL)
    .option('--method <method>', `${TREE_METHODS.join(' | ')} (default: ${Object.entries(DEFAULT_METHOD).map(([s, m]) => `${m} for ${s}`).join(', ')})`)
    .option('--bootstrap <n>', 'bootstrap replicates over probes (0 = none)', '100')
    .option('--seed <n>', 'seed of the bootstrap resampling', '1')
    .option('--root <how>', 'midpoint, or a model ref to root on (outgroup)')
    .option('--out <dir>', 'where to write tree.nwk, matrix.tsv, summary.json (default: RESULTS/<run>/tree-<signal>-<method>/)')
    .option('--json', 'print the summary as JSON on stdout instead of the drawing')
    .option('--per-probe <how>', 'embed: nn-vote (each model votes for its nearest response per probe) or cosine (mean distance)', DEFAULT_EMBED.perProbe)
    .option('--features <kind>', 'embed: words | word-punct | char (3-5 grams)', DEFAULT_EMBED.tfidf.features.kind)
    .option('--tf <weighting>', 'embed: raw | sublinear | binary term frequency', DEFAULT_EMBED.tfidf.tf)
    .option('--allele-metric <metric>', 'alleles: nei (Nei 1972, as PhyloLM) or js (Jensen-Shannon)', 'nei')
    .option('--weights <list>', 'combined: signal weights, e.g. embed=2,traits=1,alleles=1 (default all 1)')
    .option('--width <columns>', 'width of the drawing (default: terminal width or 100)')
    .option(...RESULTS_OPTION)
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo tree alpaca_eval\n  $ phylo tree core-20250101-120000 --signal traits --method bionj --bootstrap 200 --root midpoint\n  $ phylo tree lab-zoo --signal alleles --json | jq .newick\n',
    )
    .action((run: string, flags: TreeFlags) => {
      if (!isSignal(flags.signal)) throw new InputError(`--signal ${flags.signal}: use one of ${SIGNALS.join(', ')}`);
      if (flags.method !== undefined && !isTreeMethod(flags.method)) throw new InputError(`--method ${flags.method}: use one of ${TREE_METHODS.join(', ')}`);
      if (flags.alleleMetric !== 'nei' && flags.alleleMetric !== 'js') throw new InputError(`--allele-metric ${flags.alleleMetric}: use nei or js`);
      const bootstrap = wholeNumber('--bootstrap', flags.bootstrap, 0);
      const seed = wholeNumber('--seed', flags.seed, 0);
      const dir = resultsDir(flags.results);
      const name = runName(run);
      const store = openStoreReadonly(dir);
      let data;
      try {
        data = store.loadRun(name);
      } finally {
        store.close();
      }
      const result = analyseRun(data, {
        signal: flags.signal,
        method: flags.method as AnalysisResult['method'] | undefined,
        bootstrap,
        seed,
        root: flags.root,
        embed: embedOptions(flags),
        alleleMetric: flags.alleleMetric,
        combineWeights: parseWeights(flags.weights),
        onProgress: (stage) => process.stderr.write(`${oneLine(stage)}\n`),
      });
      const out = path.resolve(flags.out ?? path.join(dir, name, `tree-${result.signal}-${result.method}`));
      fs.mkdirSync(out, { recursive: true });
      const files = { tree: path.join(out, 'tree.nwk'), matrix: path.join(out, 'matrix.tsv'), summary: path.join(out, 'summary.json') };
      const summary = treeSummary(name, result, files);
      fs.writeFileSync(files.tree, `${summary.newick as string}\n`);
      writeMatrixTsv(files.matrix, result.matrix);
      fs.writeFileSync(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
      for (const w of result.warnings) process.stderr.write(`warning: ${oneLine(w)}\n`);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      const width = flags.width ? wholeNumber('--width', flags.width, 20) : (process.stdout.columns ?? 100);
      process.stdout.write(`${renderTree(result.tree, { width, support: bootstrap > 0 })}\n`);
      process.stdout.write(
        `${result.models} models, ${result.probes} probes; signal ${result.signal} (${oneLine(result.matrix.metric)}), method ${result.method}` +
          `${bootstrap > 0 ? `, support from ${bootstrap} bootstrap replicates over probes (seed ${seed})` : ''}; ${result.timings.total.toFixed(1)} s\n`,
      );
      process.stderr.write(`wrote ${files.tree}, ${files.matrix}, ${files.summary}\n`);
    });
}
