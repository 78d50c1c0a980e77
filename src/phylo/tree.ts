// One immutable tree type for every method (STYLE.md: ape / skbio.tree). A tree is a root node; an unrooted tree is
// stored with a root of degree 3 (or more) and `rooted: false`, as Newick writes it.

export interface TreeNode {
  /** Leaf label (a model ref, a taxon) or an internal node's name. */
  readonly name?: string;
  /** Length of the branch above this node; absent on the root. */
  readonly length?: number;
  /** Support of the split below this node's branch, in [0, 1] (bootstrap proportion). */
  readonly support?: number;
  readonly children: readonly TreeNode[];
}

export interface Tree {
  readonly root: TreeNode;
  readonly rooted: boolean;
}
