// `phylo genotype MODEL...`: compare weights on disk layer by layer, print the per-layer table, the distance matrix
// and the genotype tree; `--inspect MODEL` lists a model's tensors.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { InputError } from '../core/errors.js';
import { parseInteger, parseNumber } from '../core/parse-number.js';
import { readTextFile } from '../core/text-file.js';
import { writeMatrixFiles } from '../distance/matrix-io.js';
import { genotypeMatrix, layerImportance } from '../genotype/analysis.js';
import { canonicalName } from '../genotype/align.js';
import { compareModels, type GenotypeComparison } from '../genotype/compare.js';
import {
  alignmentTsv,
  formatAlignment,
  formatBytes,
  formatInspect,
  formatLayers,
  formatMatrix,
  formatModels,
  layersTsv,
  tensorsTsv,
} from '../genotype/format.js';
import { GENOTYPE_METRICS, type GenotypeMetric } from '../genotype/metrics.js';
import { MAX_GGUF_ARRAY_DEPTH } from '../genotype/gguf.js';
import { openWeights } from '../genotype/open.js';
import { MAX_SAFETENSORS_TENSORS } from '../genotype/safetensors.js';
import { referenceDistances } from '../genotype/reference.js';
import { genotypeTree } from '../genotype/tree.js';
import {
  ladderize,
  midpointRoot,
  outgroupRoot,
  parseNewick,
  renderTree,
  TREE_METHODS,
  writeNewick,
  type Tree,
  type TreeMethod,
} from '../phylo/index.js';

interface GenotypeOptions {
  inspect?: boolean;
  metric: GenotypeMetric;
  method: TreeMethod;
  bootstrap: string;
  seed: string;
  outgroup?: string;
  layers?: string;
  reference?: string;
  parent?: string;
  tolerance: string;
  labels?: string;
  out?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('genotype')
    .description(
      'compare model weights on disk (safetensors, GGUF, Ollama blobs) layer by layer and build the genotype tree',
    )
    .argument('<models...>', 'model files or folders (.safetensors, sharded folder, .gguf) or ollama:NAME[:TAG]')
    .option('--inspect', 'list the tensors of one model (name, canonical name, dtype, shape, size)')
    .addOption(new Option('--metric <metric>', 'distance between models').choices([...GENOTYPE_METRICS]).default('l2'))
    .addOption(new Option('--method <method>', 'tree method').choices([...TREE_METHODS]).default('nj'))
    .option('--bootstrap <n>', 'bootstrap replicates over tensors, for support values on the tree', '100')
    .option('--seed <n>', 'seed of the bootstrap', '1')
    .option('--outgroup <model>', 'root the drawn tree on this model (default: midpoint)')
    .option(
      '--layers <regex>',
      'compare only tensors whose canonical name matches, e.g. "^blk\\.(1[0-9])\\." or "attn_"',
    )
    .option(
      '--reference <tree.nwk>',
      'rank layers by how well their distances agree with this tree ' +
        '(patristic distances; named ancestors count as taxa)',
    )
    .option('--parent <model>', "report L2 relative to this model's weight norm (a label or the path given)")
    .option('--tolerance <x>', 'a value counts as changed when |a - b| exceeds this', '0')
    .option('--labels <a,b,...>', 'labels for the models, in order (default: file or folder names)')
    .option(
      '--out <dir>',
      'write genotype-matrix.tsv/.phy/.nex, genotype-tree.nwk, genotype-layers.tsv, genotype-tensors.tsv, ' +
        'genotype-alignment.tsv',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Canonical tensor names follow GGUF (blk.N.attn_q.weight, token_embd.weight, output.weight...); Hugging Face
llama-style and GPT-2-style names are mapped onto them so models of different formats compare.

Limits: GGUF metadata arrays nested at most ${MAX_GGUF_ARRAY_DEPTH} deep; at most
${MAX_SAFETENSORS_TENSORS.toLocaleString('en')} tensors and a 100 MB header per safetensors file. A tensor holding NaN
or infinite values is refused, naming the model, tensor and element (leave it out with --layers).

Examples:
  $ phylo genotype --inspect ollama:llama3.2:1b
  $ phylo genotype zoo/base zoo/child-a zoo/child-b zoo/grandchild-a1 --reference zoo/truth.nwk --out results/genotype
  $ phylo genotype ./Llama-3.2-1B ./Llama-3.2-1B-Instruct ollama:llama3.2:1b --metric cosine --layers '^blk\\.'
`,
    )
    .action(async (models: string[], opts: GenotypeOptions) => {
      if (opts.inspect) {
        await inspect(models, opts);
        return;
      }
      await genotype(models, opts);
    });
}

async function inspect(models: string[], opts: GenotypeOptions): Promise<void> {
  if (models.length !== 1) throw new InputError(`genotype --inspect takes one model (got ${models.length})`);
  const set = await openWeights(models[0]!);
  if (opts.json) {
    const tensors = set.tensors.map((t) => ({
      ...t,
      bytes: Number.isNaN(t.bytes) ? null : t.bytes,
      canonical: canonicalName(t.name).canonical,
    }));
    process.stdout.write(`${JSON.stringify({ ...set, tensors }, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatInspect(set));
}

function parseRegex(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  try {
    return new RegExp(text);
  } catch (err) {
    throw new InputError(`--layers ${text}: not a valid regular expression (${(err as Error).message})`);
  }
}

function readReference(file: string): Tree {
  return parseNewick(readTextFile(file, '--reference tree'), file);
}

async function genotype(models: string[], opts: GenotypeOptions): Promise<void> {
  const tolerance = parseNumber('--tolerance', opts.tolerance, { min: 0 });
  const labels = opts.labels?.split(',').map((s) => s.trim());
  if (labels && labels.length !== models.length)
    throw new InputError(`--labels gives ${labels.length} labels for ${models.length} models`);
  const layers = parseRegex(opts.layers);
  const replicates = parseInteger('--bootstrap', opts.bootstrap, { min: 0 });
  const seed = parseInteger('--seed', opts.seed);
  const reference = opts.reference ? readReference(opts.reference) : undefined;
  const progress = progressLine();
  let cmp: GenotypeComparison;
  try {
    cmp = await compareModels(models, {
      tolerance,
      ...(layers ? { layers } : {}),
      ...(labels ? { labels } : {}),
      onProgress: progress.update,
    });
  } finally {
    progress.done();
  }
  const view = { metric: opts.metric, ...(layers ? { layers } : {}), ...(opts.parent ? { parent: opts.parent } : {}) };
  const matrix = genotypeMatrix(cmp, view);
  const tree = genotypeTree(cmp, { ...view, method: opts.method, replicates, seed });
  const newick = writeNewick(tree);
  if (opts.outgroup !== undefined && !matrix.labels.includes(opts.outgroup)) {
    throw new InputError(`--outgroup ${opts.outgroup}: not one of the models compared (${matrix.labels.join(', ')})`);
  }
  const ranked = layerImportance(cmp, { ...view, ...(reference ? { reference: referenceDistances(reference) } : {}) });

  if (opts.out) {
    await mkdir(opts.out, { recursive: true });
    const files: [string, string][] = [
      ['genotype-tree.nwk', `${newick}\n`],
      ['genotype-layers.tsv', layersTsv(ranked)],
      ['genotype-tensors.tsv', tensorsTsv(cmp)],
      ['genotype-alignment.tsv', alignmentTsv(cmp)],
    ];
    for (const [name, text] of files) await writeFile(path.join(opts.out, name), text);
    // The matrix as TSV, PHYLIP (+ ids map when needed) and NEXUS with the tree, for other tools.
    const matrixFiles = writeMatrixFiles(opts.out, matrix, { [opts.method]: tree }, 'genotype-matrix');
    const written = [...matrixFiles.map((f) => path.basename(f)), ...files.map(([n]) => n)];
    process.stderr.write(`wrote ${written.join(', ')} to ${opts.out}\n`);
  }

  if (opts.json) {
    const json = {
      models: cmp.models,
      metric: matrix.metric,
      matrix: { labels: matrix.labels, values: Array.from(matrix.values) },
      method: opts.method,
      bootstrap: replicates,
      tree: newick,
      layers: ranked.map(({ matrix: _m, ...r }) => ({
        ...r,
        pearson: nullIfNaN(r.pearson),
        spearman: nullIfNaN(r.spearman),
      })),
      compared: cmp.tensors.length,
      missing: cmp.missing,
      shapeMismatch: cmp.shapeMismatch,
      notes: cmp.notes,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const drawn = opts.outgroup ? outgroupRoot(tree, opts.outgroup) : tree.rooted ? tree : midpointRoot(tree);
  const rooting = opts.outgroup
    ? `rooted on ${opts.outgroup}`
    : tree.rooted
      ? 'rooted by the method'
      : 'midpoint-rooted for display';
  const out = [
    formatModels(cmp),
    formatAlignment(cmp),
    reference
      ? `layers ranked by agreement with ${opts.reference}:`
      : "layers (rank: separation, L2 over the pair's RMS norm):",
    formatLayers(ranked, matrix.metric, reference !== undefined),
    'distance matrix:',
    formatMatrix(matrix),
    `genotype tree (${METHOD_NAMES[opts.method]}` +
      `${replicates > 0 ? `, support from ${replicates} bootstrap replicates over tensors` : ''}; ${rooting}):`,
    renderTree(ladderize(drawn), {
      width: Math.max(60, Math.min(120, process.stdout.columns ?? 100)),
      support: replicates > 0,
    }),
    newick,
    '',
  ];
  process.stdout.write(out.join('\n'));
}

const METHOD_NAMES: Record<TreeMethod, string> = {
  nj: 'neighbor joining',
  bionj: 'BIONJ',
  upgma: 'UPGMA',
  bme: 'balanced minimum evolution',
};

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** A progress line on stderr, redrawn at most every 200 ms, only when stderr is a terminal. */
function progressLine(): {
  update: (p: { bytesDone: number; bytesTotal: number; tensor: string }) => void;
  done: () => void;
} {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update: (p) => {
      const now = Date.now();
      if (!tty || now - last < 200) return;
      last = now;
      shown = true;
      const pct = p.bytesTotal > 0 ? ((100 * p.bytesDone) / p.bytesTotal).toFixed(0) : '100';
      process.stderr.write(
        `\r\x1b[2Kreading ${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)} (${pct}%) ` +
          `${p.tensor.replace(/[^\x20-\x7e]/g, '?').slice(0, 60)}`,
      );
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}
