// The genotype tree: a tree method over the genotype matrix, with bootstrap support from resampling tensors
// (Felsenstein 1985's nonparametric bootstrap, with aligned tensors as the characters). Pure: only the stored pair
// sums are reweighted, no weight is read again.
import { bootstrapReplicates, bootstrapSupport, buildTree, type Tree, type TreeMethod } from '../phylo/index.js';
import { parentIndex, selectedTensors, weightedGenotypeMatrix, type GenotypeViewOptions } from './analysis.js';
import type { GenotypeComparison } from './compare.js';

export interface GenotypeTreeOptions extends GenotypeViewOptions {
  readonly method?: TreeMethod;
  /** Bootstrap replicates (0: no support values). */
  readonly replicates?: number;
  readonly seed?: number;
}

export function genotypeTree(cmp: GenotypeComparison, opts: GenotypeTreeOptions = {}): Tree {
  const method = opts.method ?? 'nj';
  const metric = opts.metric ?? 'l2';
  const parent = parentIndex(cmp, opts.parent);
  const columns = [...selectedTensors(cmp, opts.layers)];
  const position = new Map(columns.map((t, c) => [t, c]));
  const tree = buildTree(
    method,
    weightedGenotypeMatrix(cmp, (t) => (position.has(t) ? 1 : 0), metric, parent),
  );
  const replicates = opts.replicates ?? 0;
  if (replicates === 0) return tree;
  const trees = bootstrapReplicates({
    columns: columns.length,
    replicates,
    seed: opts.seed ?? 1,
    build: (counts) =>
      buildTree(
        method,
        weightedGenotypeMatrix(cmp, (t) => (position.has(t) ? counts[position.get(t)!]! : 0), metric, parent),
      ),
  });
  return bootstrapSupport(tree, trees);
}
