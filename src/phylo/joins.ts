// Agglomerative methods record their joins as numbers while they run; this turns the record into the Tree type.
import type { Tree, TreeNode } from './tree.js';

/**
 * Leaves are ids 0..n-1; join s makes node n+s from `left[s]` and `right[s]` with those branch lengths; the root
 * (unrooted, degree 3 when n >= 3) holds `rootChildren` (default: the two leaves of a 2-taxon tree).
 */
export function joinsToTree(
  labels: readonly string[],
  left: ArrayLike<number>,
  right: ArrayLike<number>,
  leftLen: ArrayLike<number>,
  rightLen: ArrayLike<number>,
  rootLengths: readonly number[],
  rootChildren: readonly number[] = [0, 1],
): Tree {
  const n = labels.length;
  if (n === 1) return { root: { name: labels[0]!, children: [] }, rooted: false };
  const made: TreeNode[][] = [];
  const node = (id: number, length: number): TreeNode =>
    id < n ? { name: labels[id]!, length, children: [] } : { length, children: made[id - n]! };
  for (let s = 0; s < left.length; s++) made.push([node(left[s]!, leftLen[s]!), node(right[s]!, rightLen[s]!)]);
  return { root: { children: rootChildren.map((id, k) => node(id, rootLengths[k]!)) }, rooted: false };
}
