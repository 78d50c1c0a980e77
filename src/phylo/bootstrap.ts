// Nonparametric bootstrap over probes (Felsenstein 1985): resample the columns (probes) with replacement, rebuild
// the tree from each pseudo-replicate, and report how often each split of the reference tree comes back.
import { InputError } from '../core/errors.js';
import { randomInt, seededRng } from '../core/random.js';
import { canonicalSide, cladeBits, leafIndex, popcount, splitBits, bitKey } from './splits.js';
import type { Tree, TreeNode } from './tree.js';
import { postorder } from './traverse.js';

export interface BootstrapOptions {
  /** Number of columns (probes) in the data. */
  readonly columns: number;
  readonly replicates: number;
  readonly seed: number;
  /** Build one replicate's tree; `columnCounts[c]` is how many times column c was drawn (they sum to `columns`). */
  readonly build: (columnCounts: Int32Array) => Tree;
}

export function bootstrapReplicates(options: BootstrapOptions): Tree[] {
  const { columns, replicates, seed, build } = options;
  if (!Number.isInteger(columns) || columns < 1)
    throw new InputError(`bootstrap: ${columns} columns; need at least one probe to resample`);
  if (!Number.isInteger(replicates) || replicates < 0)
    throw new InputError(`bootstrap: replicates must be a whole number >= 0, got ${replicates}`);
  const rng = seededRng(seed);
  const trees: Tree[] = [];
  for (let r = 0; r < replicates; r++) {
    const counts = new Int32Array(columns);
    for (let k = 0; k < columns; k++) counts[randomInt(rng, columns)]!++;
    trees.push(build(counts));
  }
  return trees;
}

function sameLeafSet(index: ReadonlyMap<string, number>, t: Tree, k: number): void {
  const other = leafIndex(t, `bootstrap replicate ${k + 1}`);
  if (other.size !== index.size || [...other.keys()].some((l) => !index.has(l))) {
    throw new InputError(
      `bootstrap replicate ${k + 1} has other leaves than the reference tree; every replicate must cover the same ` +
        `models`,
    );
  }
}

/**
 * The reference tree with `support` on every internal branch: the fraction of replicates that contain its split.
 * Branches whose split is trivial (a root branch above all leaves but one) get 1.
 */
export function bootstrapSupport(tree: Tree, replicates: readonly Tree[]): Tree {
  if (replicates.length === 0) throw new InputError('bootstrap support needs at least one replicate tree');
  const index = leafIndex(tree, 'reference tree');
  const n = index.size;
  const counts = new Map<string, number>();
  replicates.forEach((t, k) => {
    sameLeafSet(index, t, k);
    for (const s of splitBits(t, index)) counts.set(s.key, (counts.get(s.key) ?? 0) + 1);
  });
  const below = cladeBits(tree, index);
  const rebuilt = new Map<TreeNode, TreeNode>();
  for (const node of postorder(tree.root)) {
    if (node.children.length === 0) {
      rebuilt.set(node, node);
      continue;
    }
    const children = node.children.map((c) => rebuilt.get(c)!);
    if (node === tree.root) {
      rebuilt.set(node, { ...node, children });
      continue;
    }
    const side = canonicalSide(below.get(node)!, n);
    const size = popcount(side);
    const support = size <= 1 || size >= n - 1 ? 1 : (counts.get(bitKey(side)) ?? 0) / replicates.length;
    rebuilt.set(node, { ...node, support, children });
  }
  return { root: rebuilt.get(tree.root)!, rooted: tree.rooted };
}
