// Tree walks without recursion, so deep caterpillar trees (thousands of taxa) do not overflow the stack.
import type { Tree, TreeNode } from './tree.js';

/** Nodes parent before children, children in order. */
export function preorder(root: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const stack: TreeNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** Nodes children before parent. */
export function postorder(root: TreeNode): TreeNode[] {
  return preorder(root).reverse();
}

/** Leaf labels in the order the tree lists them (left to right). */
export function leafLabels(tree: Tree): string[] {
  return preorder(tree.root)
    .filter((n) => n.children.length === 0)
    .map((n) => n.name ?? '');
}
