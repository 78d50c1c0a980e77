// Sizes past which a tree or matrix file is refused with one line instead of taking the machine's memory. The tool
// compares tens to hundreds of models; these bounds leave two orders of magnitude of room and keep the quadratic
// structures (split bitsets, n x n matrices) under ~100 MB.

/** Leaves a Newick tree may have (split bitsets cost leaves^2 / 8 bytes: 50 MB at 20,000). */
export const MAX_TREE_LEAVES = 20_000;
/** Internal nodes a Newick tree may have: as many as a caterpillar of MAX_TREE_LEAVES needs. */
export const MAX_TREE_INTERNAL_NODES = MAX_TREE_LEAVES;
/** Taxa a distance matrix may have (an n x n Float64Array: 200 MB at 5,000). */
export const MAX_MATRIX_TAXA = 5_000;

/** The limits in one paragraph for --help. */
export const PHYLO_LIMITS_HELP =
  `Limits: a Newick tree of at most ${MAX_TREE_LEAVES.toLocaleString('en')} leaves and ` +
  `${MAX_TREE_INTERNAL_NODES.toLocaleString('en')} internal nodes; a distance matrix of at most ` +
  `${MAX_MATRIX_TAXA.toLocaleString('en')} taxa; text files of at most 256 MiB. A leading byte-order mark is accepted.`;
