// A tree as an undirected graph of numbered nodes, for walks that ignore where the root is (patristic distances,
// rerooting). Edge attributes (length, support) live on the child end, as in the Tree type.
import type { Tree, TreeNode } from './tree.js';
import { preorder } from './traverse.js';

export interface TreeGraph {
  /** Nodes in preorder; index 0 is the root. */
  readonly nodes: readonly TreeNode[];
  /** Parent index, -1 for the root. */
  readonly parent: Int32Array;
  /** Neighbours of each node (children, then parent). */
  readonly adjacent: readonly number[][];
  /** Length of the edge above each node, 0 when absent. */
  readonly length: Float64Array;
}

export function toGraph(tree: Tree): TreeGraph {
  const nodes = preorder(tree.root);
  const id = new Map<TreeNode, number>();
  nodes.forEach((n, i) => {
    id.set(n, i);
  });
  const parent = new Int32Array(nodes.length).fill(-1);
  const length = new Float64Array(nodes.length);
  const adjacent: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    length[i] = n.length ?? 0;
    for (const c of n.children) {
      const ci = id.get(c)!;
      parent[ci] = i;
      adjacent[i]!.push(ci);
    }
  });
  nodes.forEach((_, i) => {
    if (parent[i]! >= 0) adjacent[i]!.push(parent[i]!);
  });
  return { nodes, parent, adjacent, length };
}

/** Length of the edge between adjacent nodes a and b. */
export function edgeLength(g: TreeGraph, a: number, b: number): number {
  return g.parent[a] === b ? g.length[a]! : g.length[b]!;
}

/** Path distance from `source` to every node (one walk of the tree). */
export function distancesFrom(g: TreeGraph, source: number, out = new Float64Array(g.nodes.length)): Float64Array {
  const stack = [source];
  const from = new Int32Array(g.nodes.length).fill(-2);
  from[source] = -1;
  out[source] = 0;
  while (stack.length > 0) {
    const x = stack.pop()!;
    for (const y of g.adjacent[x]!) {
      if (from[y] !== -2) continue;
      from[y] = x;
      out[y] = out[x]! + edgeLength(g, x, y);
      stack.push(y);
    }
  }
  return out;
}
