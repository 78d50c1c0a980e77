// The phylogenetics core: one immutable Tree type and plain functions named after the methods (STYLE.md: ape, skbio).
export type { Tree, TreeNode } from './tree.js';
export { parseNewick, writeNewick, quoteLabel } from './newick.js';
export type { NewickWriteOptions } from './newick.js';
export {
  readNewickFile,
  writeNewickFile,
  readNamedTree,
  readLabelMapFile,
  labelMapCandidates,
  labelStyle,
  LABEL_STYLES,
} from './files.js';
export type { LabelStyle } from './files.js';
export { safeLabels, isSafeLabel, renameNodes, formatLabelMap, parseLabelMap, mapLabelsBack } from './label-map.js';
export { checkDistanceMatrix, checkTreeInput, MatrixError, MATRIX_TOLERANCE } from './matrix-check.js';
export { MAX_TREE_LEAVES, MAX_TREE_INTERNAL_NODES, MAX_MATRIX_TAXA, PHYLO_LIMITS_HELP } from './limits.js';
export { leafLabels, preorder, postorder } from './traverse.js';
export { splitsOf, compareSplits, robinsonFoulds } from './splits.js';
export type { Split, SplitComparison } from './splits.js';
export { neighborJoining } from './nj.js';
export { bionj } from './bionj.js';
export { upgma } from './upgma.js';
export { balancedMinimumEvolution, balancedTreeLength, BME_MAX_TAXA } from './bme.js';
export { buildTree, treeMethod, isTreeMethod, TREE_METHODS } from './build.js';
export type { TreeMethod } from './build.js';
export { patristicDistances } from './patristic.js';
export { midpointRoot, outgroupRoot } from './root.js';
export { ladderize } from './ladderize.js';
export { keepTips } from './prune.js';
export { renderTree } from './render.js';
export type { RenderOptions } from './render.js';
export { bootstrapReplicates, bootstrapSupport } from './bootstrap.js';
export type { BootstrapOptions } from './bootstrap.js';
export { majorityRuleConsensus } from './consensus.js';
export { familyClades, nearestNeighbourAccuracy } from './score.js';
export type { FamilyClade, NearestNeighbourCall, NearestNeighbourResult } from './score.js';
