// Patristic distances: the sum of branch lengths on the path between two leaves (ape's `cophenetic.phylo`).
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { distancesFrom, toGraph } from './graph.js';
import type { Tree } from './tree.js';

/** Leaves x leaves path lengths, rows in the tree's leaf order; missing branch lengths count as 0. */
export function patristicDistances(tree: Tree): DistanceMatrix {
  const g = toGraph(tree);
  const leaves: number[] = [];
  g.nodes.forEach((node, i) => {
    if (node.children.length === 0) leaves.push(i);
  });
  const labels = leaves.map((i) => g.nodes[i]!.name ?? '');
  const seen = new Set<string>();
  for (const l of labels) {
    if (l === '' || seen.has(l))
      throw new InputError(`patristic distances: leaf label "${l}" is empty or repeated; leaf labels must be unique`);
    seen.add(l);
  }
  const n = leaves.length;
  const values = new Float64Array(n * n);
  const dist = new Float64Array(g.nodes.length);
  for (let a = 0; a < n; a++) {
    distancesFrom(g, leaves[a]!, dist);
    for (let b = 0; b < n; b++) values[a * n + b] = a === b ? 0 : dist[leaves[b]!]!;
  }
  // Average the two directions so the matrix is exactly symmetric despite summation order.
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const v = (values[a * n + b]! + values[b * n + a]!) / 2;
      values[a * n + b] = v;
      values[b * n + a] = v;
    }
  }
  return { labels, values, signal: 'tree', metric: 'patristic' };
}
