// `phylo tree --matrix FILE`: a tree from any distance matrix (PHYLIP, NEXUS or TSV, e.g. from another tool) with
// our methods, so the phylogenetics core is usable on its own, like ape's nj(). Also the one writer of the files a
// tree command leaves: tree.nwk (+ labels.tsv with --labels safe), matrix.tsv, matrix.phy (+ matrix.labels.tsv when
// PHYLIP needs ids) and matrix.nex (taxa, distances and the tree).
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { optionalInteger } from '../core/parse-number.js';
import { oneLine } from '../core/sanitize.js';
import { readDistanceMatrix, writeMatrixFiles } from '../distance/matrix-io.js';
import {
  buildTree,
  labelStyle,
  midpointRoot,
  outgroupRoot,
  PHYLO_LIMITS_HELP,
  renderTree,
  treeMethod,
  writeNewick,
  writeNewickFile,
  type Tree,
  type TreeMethod,
} from '../phylo/index.js';

/** The options `phylo tree` adds for this (kept here so tree.ts needs two lines). */
export const MATRIX_OPTION = [
  '--matrix <file>',
  'build the tree from this distance matrix (PHYLIP, NEXUS or TSV) instead of a stored run',
] as const;
export const LABELS_OPTION = [
  '--labels <style>',
  'Newick labels: quoted (as they are, quoted where needed) or safe (ids every reader keeps, with labels.tsv)',
  'quoted',
] as const;

export const MATRIX_TREE_HELP = `
With --matrix FILE no run is read: the matrix (square PHYLIP, NEXUS DISTANCES, or our TSV; a labels.tsv beside a
PHYLIP file maps its ids back) is checked (unique labels, square, symmetric, zero diagonal, finite, non-negative)
and the tree is built with --method (default nj). There is no bootstrap: a matrix alone has no characters to
resample, so the tree carries no support values. ${PHYLO_LIMITS_HELP}
  $ phylo tree --matrix dist.phy --method bionj --out results/dist-bionj
  $ phylo tree --matrix matrix.nex --labels safe   # tree.nwk + labels.tsv that ape and DendroPy read as written
`;

export interface MatrixTreeFlags {
  readonly matrix?: string;
  readonly method?: string;
  readonly root?: string;
  readonly out?: string;
  readonly json?: boolean;
  readonly width?: string;
  readonly labels?: string;
}

/**
 * Write a tree and its matrix in every format we offer into `out`. Returns the files written, in order.
 * `labels` is the --labels flag (quoted | safe).
 */
export function writeTreeOutputs(
  out: string,
  tree: Tree,
  matrix: DistanceMatrix,
  method: string,
  labels = 'quoted',
): string[] {
  const style = labelStyle(labels);
  fs.mkdirSync(out, { recursive: true });
  const written = writeNewickFile(path.join(out, 'tree.nwk'), tree, style);
  if (style === 'quoted') fs.rmSync(path.join(out, 'labels.tsv'), { force: true });
  return [...written, ...writeMatrixFiles(out, matrix, { [method]: tree })];
}

function rootTree(tree: Tree, how: string | undefined, labels: readonly string[]): Tree {
  if (how === undefined) return tree;
  if (how === 'midpoint') return midpointRoot(tree);
  if (!labels.includes(how))
    throw new InputError(`--root ${how}: not a label of the matrix; use midpoint or one of: ${labels.join(', ')}`);
  return outgroupRoot(tree, how);
}

/** `phylo tree --matrix FILE`: read, check, build, write, draw. */
export function treeFromMatrixFile(run: string | undefined, flags: MatrixTreeFlags): void {
  if (flags.matrix === undefined) throw new InputError('phylo tree: give a run name (see phylo runs) or --matrix FILE');
  if (run !== undefined)
    throw new InputError(`phylo tree: give a run name or --matrix, not both (got ${run} and ${flags.matrix})`);
  const started = performance.now();
  const matrix = readDistanceMatrix(flags.matrix);
  const method: TreeMethod = treeMethod(flags.method ?? 'nj');
  const tree = rootTree(buildTree(method, matrix), flags.root, matrix.labels);
  const stem = path.basename(flags.matrix).replace(/\.[^.]+$/, '');
  const out = path.resolve(flags.out ?? path.join(path.dirname(flags.matrix), `${stem}-tree-${method}`));
  const written = writeTreeOutputs(out, tree, matrix, method, flags.labels);
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    matrix: flags.matrix,
    method,
    root: flags.root ?? null,
    models: matrix.labels.length,
    newick: writeNewick(tree),
    files: written,
    seconds,
  };
  fs.writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const width = optionalInteger('--width', flags.width, { min: 20 }) ?? process.stdout.columns ?? 100;
  process.stdout.write(`${renderTree(tree, { width })}\n`);
  process.stdout.write(
    `${matrix.labels.length} models from ${oneLine(flags.matrix)}; method ${method}; no support values ` +
      `(a matrix alone cannot be bootstrapped); ${seconds.toFixed(2)} s\n`,
  );
  process.stderr.write(`wrote ${[...written, path.join(out, 'summary.json')].map(oneLine).join(', ')}\n`);
}
