// Sizes past which a tree or matrix file is refused with one line instead of taking the machine's memory. The tool
// compares tens to hundreds of models; these bounds leave two orders of magnitude of room and keep the quadratic
// structures (split lists, n x n matrices) in the low hundreds of MB.

/**
 * Leaves a Newick tree may have. Comparing trees lists each split's smaller side, up to leaves^2 / 4 entries for a
 * caterpillar: measured for `phylo compare` of a caterpillar with itself, 20,000 leaves took 1.4 GB and 89 s, so the
 * limit is 5,000 (the same as for matrices).
 */
export const MAX_TREE_LEAVES = 5_000;
/** Internal nodes a Newick tree may have: as many as a caterpillar of MAX_TREE_LEAVES needs. */
export const MAX_TREE_INTERNAL_NODES = 5_000;
/** Taxa a distance matrix may have (an n x n Float64Array: 200 MB at 5,000). */
export const MAX_MATRIX_TAXA = 5_000;

/** The limits in one paragraph for --help. */
export const PHYLO_LIMITS_HELP =
  `Limits: a Newick tree of at most ${MAX_TREE_LEAVES.toLocaleString('en')} leaves and ` +
  `${MAX_TREE_INTERNAL_NODES.toLocaleString('en')} internal nodes; a distance matrix of at most ` +
  `${MAX_MATRIX_TAXA.toLocaleString('en')} taxa; text files of at most 256 MiB. A leading byte-order mark is accepted.`;
