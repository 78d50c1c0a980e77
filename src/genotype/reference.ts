// Reference distances for layer importance: patristic distances of a reference tree, where named internal nodes count
// as taxa too. A lab zoo's truth tree names its ancestors (the base model is the root), and their checkpoints are
// models a user compares, so each named ancestor becomes a leaf at distance 0 from its node.
import type { DistanceMatrix } from '../core/matrix.js';
import { patristicDistances, type Tree, type TreeNode } from '../phylo/index.js';

export function referenceDistances(tree: Tree): DistanceMatrix {
  const leafNames = new Set<string>();
  const collect = (node: TreeNode): void => {
    if (node.children.length === 0 && node.name) leafNames.add(node.name);
    node.children.forEach(collect);
  };
  collect(tree.root);
  const expose = (node: TreeNode): TreeNode => {
    if (node.children.length === 0) return node;
    const children = node.children.map(expose);
    if (node.name && !leafNames.has(node.name)) {
      leafNames.add(node.name);
      children.push({ name: node.name, length: 0, children: [] });
    }
    return { ...node, children };
  };
  return patristicDistances({ root: expose(tree.root), rooted: tree.rooted });
}
