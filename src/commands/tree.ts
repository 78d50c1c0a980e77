// `phylo tree RUN`: the phylogeny of a stored run's models from one signal, with bootstrap support over probes.
// Reads the store only; never queries a model. With --embeddings it asks an embedding model for the vectors of texts
// not yet in the store's cache (and stores them), then analyses as usual.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { analyseRun, type AnalysisResult } from '../analysis/analyse.js';
import { checkTreeRequest } from '../analysis/analysed-run.js';
import { providerEmbeddings, type ProviderEmbeddingsResult } from '../analysis/provider-embeddings.js';
import {
  COMBINABLE_SIGNALS,
  combineWeightOf,
  DEFAULT_COMBINE_WEIGHTS,
  DEFAULT_EMBED,
  DEFAULT_METHOD,
  DEFAULT_SIGNAL,
  SIGNALS,
  signalDefinition,
  type CombineWeights,
  type EmbedOptions,
} from '../analysis/signals/index.js';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { runName } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import type { FeatureKind } from '../phenotype/features.js';
import { renderTree, TREE_METHODS, writeNewick } from '../phylo/index.js';
import { type RunData, runOfProbes } from '../core/run.js';
import type { RunName } from '../core/types.js';
import { openStoreReadonly, type SqliteStore } from '../store/sqlite.js';
import { LABELS_OPTION, MATRIX_OPTION, MATRIX_TREE_HELP, treeFromMatrixFile, writeTreeOutputs } from './tree-matrix.js';
import { optionalInteger, parseInteger } from '../core/parse-number.js';

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
  logprobMetric: string;
  weights?: string;
  width?: string;
  embeddings?: string;
  matrix?: string;
  labels?: string;
  probes: string;
}

function parseWeights(text: string | undefined): CombineWeights {
  if (text === undefined) return DEFAULT_COMBINE_WEIGHTS;
  // A signal the list does not name weighs 0.
  const out: Record<string, number> = Object.fromEntries(COMBINABLE_SIGNALS.map((s) => [s, 0]));
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    const w = Number(v);
    if (!k || !(k in out) || v === undefined || !Number.isFinite(w) || w < 0) {
      throw new InputError(
        `--weights ${text}: write signal=weight pairs, e.g. embed=2,traits=1,alleles=1 ` +
          `(signals: ${COMBINABLE_SIGNALS.join(', ')})`,
      );
    }
    out[k] = w;
  }
  return out;
}

function embedOptions(flags: TreeFlags): EmbedOptions {
  if (flags.perProbe !== 'nn-vote' && flags.perProbe !== 'cosine')
    throw new InputError(`--per-probe ${flags.perProbe}: use nn-vote or cosine`);
  const kinds: FeatureKind[] = ['words', 'word-punct', 'char'];
  if (!kinds.includes(flags.features as FeatureKind))
    throw new InputError(`--features ${flags.features}: use ${kinds.join(', ')}`);
  if (!['raw', 'sublinear', 'binary'].includes(flags.tf))
    throw new InputError(`--tf ${flags.tf}: use raw, sublinear or binary`);
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
export function treeSummary(
  run: string,
  result: AnalysisResult,
  files: Record<string, string>,
  embeddings?: ProviderEmbeddingsResult,
): Record<string, unknown> {
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
    embeddings: embeddings ? { model: embeddings.embeddings.name, ...embeddings.stats } : null,
    newick: writeNewick(result.tree),
    files,
  };
}

/** Provider embeddings of the run's texts, with progress on stderr every tenth of the way. */
async function embedRun(data: RunData, ref: string, dir: string): Promise<ProviderEmbeddingsResult> {
  let shown = -1;
  const result = await providerEmbeddings(data, ref, {
    resultsDir: dir,
    onProgress: (done, total) => {
      const tenth = total === 0 ? 10 : Math.floor((10 * done) / total);
      if (tenth > shown) {
        shown = tenth;
        process.stderr.write(`embeddings ${oneLine(ref)}: ${done}/${total} texts\n`);
      }
    },
  });
  const s = result.stats;
  process.stderr.write(
    `embeddings ${oneLine(ref)}: ${s.texts} distinct texts, ${s.cached} cached, ${s.texts - s.cached} embedded ` +
      `in ${s.requests} request(s)\n`,
  );
  return result;
}

/** The probes an adaptive run's pilot chose, or one line saying why there are none. */
function chosenProbes(store: SqliteStore, name: RunName): Set<string> {
  if (store.probeScores().plan(name) === undefined)
    throw new InputError(`--probes chosen: run "${name}" was not collected with phylo run --adaptive`);
  const chosen = new Set(
    store
      .probeScores()
      .scores(name)
      .filter((s) => s.chosen)
      .map((s) => s.probe),
  );
  if (chosen.size === 0)
    throw new InputError(`--probes chosen: run "${name}" has no chosen probes yet (its pilot is not scored)`);
  return chosen;
}

export function register(program: Command): void {
  program
    .command('tree')
    .description('build the phylogeny of a stored run from its responses (no model is queried)')
    .argument('[run]', 'run name (see phylo runs); or --matrix FILE')
    .option('--signal <signal>', `${SIGNALS.join(' | ')}`, DEFAULT_SIGNAL)
    .option(
      '--method <method>',
      `${TREE_METHODS.join(' | ')} (default: ${Object.entries(DEFAULT_METHOD)
        .map(([s, m]) => `${m} for ${s}`)
        .join(', ')})`,
    )
    .option('--bootstrap <n>', 'bootstrap replicates over probes (0 = none)', '100')
    .option('--seed <n>', 'seed of the bootstrap resampling', '1')
    .option('--root <how>', 'midpoint, or a model ref to root on (outgroup)')
    .option(
      '--out <dir>',
      'where to write tree.nwk, matrix.tsv, summary.json (default: ' +
        'RESULTS/<run>/tree-<signal>-<method>[-<embeddings>]/)',
    )
    .option('--json', 'print the summary as JSON on stdout instead of the drawing')
    .option(
      '--per-probe <how>',
      'embed: nn-vote (each model votes for its nearest response per probe) or cosine (mean distance)',
      DEFAULT_EMBED.perProbe,
    )
    .option('--features <kind>', 'embed: words | word-punct | char (3-5 grams)', DEFAULT_EMBED.tfidf.features.kind)
    .option('--tf <weighting>', 'embed: raw | sublinear | binary term frequency', DEFAULT_EMBED.tfidf.tf)
    .option(
      '--embeddings <provider:model>',
      'embed: vectors from an embedding model instead of TF-IDF, cached in the store (e.g. ' +
        'openai:text-embedding-3-small, ollama:nomic-embed-text)',
    )
    .option('--allele-metric <metric>', 'alleles: nei (Nei 1972, as PhyloLM) or js (Jensen-Shannon)', 'nei')
    .option(
      '--logprob-metric <metric>',
      'logprobs: divergence (Jensen-Shannon, bits) or distance (its square root)',
      'divergence',
    )
    .option(
      '--weights <list>',
      'combined: signal weights, e.g. embed=2,traits=1,alleles=1,logprobs=1 (default all 1; logprobs only if the ' +
        'run has them)',
    )
    .option('--width <columns>', 'width of the drawing (default: terminal width or 100)')
    .option('--probes <which>', "all, or chosen: an adaptive run's chosen probes only (phylo run --adaptive)", 'all')
    .option(...RESULTS_OPTION)
    .option(...MATRIX_OPTION)
    .option(...LABELS_OPTION)
    .addHelpText(
      'after',
      `\nSignals:\n${SIGNALS.map((s) => `  ${s.padEnd(9)} ${signalDefinition(s).description}\n`).join('')}` +
        '\nExamples:\n' +
        '  $ phylo tree alpaca_eval\n' +
        '  $ phylo tree core-20250101-120000 --signal traits --method bionj --bootstrap 200 --root midpoint\n' +
        '  $ phylo tree lab-zoo --signal alleles --json | jq .newick\n' +
        '  $ phylo tree lab-logprobs --signal logprobs   # a run collected with phylo run --logprobs 20\n' +
        '  $ phylo tree alpaca_eval --embeddings openai:text-embedding-3-small\n' +
        '      # needs OPENAI_API_KEY unless every text is cached\n' +
        MATRIX_TREE_HELP,
    )
    .action(async (run: string | undefined, flags: TreeFlags) => {
      if (run === undefined || flags.matrix !== undefined) return treeFromMatrixFile(run, flags);
      const { signal, method } = checkTreeRequest({
        signal: flags.signal,
        ...(flags.method !== undefined ? { method: flags.method } : {}),
      });
      if (flags.alleleMetric !== 'nei' && flags.alleleMetric !== 'js')
        throw new InputError(`--allele-metric ${flags.alleleMetric}: use nei or js`);
      if (flags.logprobMetric !== 'divergence' && flags.logprobMetric !== 'distance')
        throw new InputError(`--logprob-metric ${flags.logprobMetric}: use divergence or distance`);
      const bootstrap = parseInteger('--bootstrap', flags.bootstrap, { min: 0 });
      const seed = parseInteger('--seed', flags.seed, { min: 0 });
      const dir = resultsDir(flags.results);
      const name = runName(run);
      const store = openStoreReadonly(dir);
      let data: RunData;
      try {
        data = store.loadRun(name);
        if (flags.probes === 'chosen') data = runOfProbes(data, chosenProbes(store, name));
        else if (flags.probes !== 'all') throw new InputError(`--probes ${flags.probes}: use all or chosen`);
      } finally {
        store.close();
      }
      let embed = embedOptions(flags);
      const weights = parseWeights(flags.weights);
      let embedded: ProviderEmbeddingsResult | undefined;
      if (flags.embeddings !== undefined) {
        if (signal === 'embed' || (signal === 'combined' && combineWeightOf(weights, 'embed') > 0)) {
          embedded = await embedRun(data, flags.embeddings, dir);
          embed = { ...embed, provider: embedded.embeddings };
        } else
          process.stderr.write(
            `warning: --embeddings is used by the embed and combined signals only; ignored for ${flags.signal}\n`,
          );
      }
      const result = analyseRun(data, {
        signal,
        method,
        bootstrap,
        seed,
        root: flags.root,
        embed,
        alleleMetric: flags.alleleMetric,
        logprobMetric: flags.logprobMetric,
        combineWeights: weights,
        onProgress: (stage) => process.stderr.write(`${oneLine(stage)}\n`),
      });
      // Provider-embedding trees get their own folder, so they do not overwrite the TF-IDF one.
      const variant = embedded ? `-${embedded.embeddings.name.replace(/[^A-Za-z0-9._-]+/g, '-')}` : '';
      const out = path.resolve(flags.out ?? path.join(dir, name, `tree-${result.signal}-${result.method}${variant}`));
      fs.mkdirSync(out, { recursive: true });
      const files = {
        tree: path.join(out, 'tree.nwk'),
        matrix: path.join(out, 'matrix.tsv'),
        summary: path.join(out, 'summary.json'),
      };
      const summary = treeSummary(name, result, files, embedded);
      const written = writeTreeOutputs(out, result.tree, result.matrix, result.method, flags.labels);
      fs.writeFileSync(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
      for (const w of result.warnings) process.stderr.write(`warning: ${oneLine(w)}\n`);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      const width = optionalInteger('--width', flags.width, { min: 20 }) ?? process.stdout.columns ?? 100;
      process.stdout.write(`${renderTree(result.tree, { width, support: bootstrap > 0 })}\n`);
      process.stdout.write(
        `${result.models} models, ${result.probes} probes; signal ${result.signal} ` +
          `(${oneLine(result.matrix.metric)}), method ${result.method}` +
          `${bootstrap > 0 ? `, support from ${bootstrap} bootstrap replicates over probes (seed ${seed})` : ''}` +
          `; ${result.timings.total.toFixed(1)} s\n`,
      );
      process.stderr.write(`wrote ${[...written, files.summary].join(', ')}\n`);
    });
}
