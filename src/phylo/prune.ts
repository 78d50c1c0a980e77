// Pruning a tree to a subset of its leaves (ape's `keep.tip`): dropped leaves go, and nodes left with one child are
// merged into the branch below them (lengths add), so distances between the kept leaves do not change.
import { InputError } from '../core/errors.js';
import type { Tree, TreeNode } from './tree.js';
import { postorder } from './traverse.js';

export function keepTips(tree: Tree, keep: Iterable<string>): Tree {
  const wanted = new Set(keep);
  const kept = new Map<TreeNode, TreeNode | null>();
  for (const n of postorder(tree.root)) {
    if (n.children.length === 0) {
      kept.set(n, n.name !== undefined && wanted.has(n.name) ? n : null);
      continue;
    }
    const children = n.children.map((c) => kept.get(c)!).filter((c): c is TreeNode => c !== null);
    if (children.length === 0) kept.set(n, null);
    else if (children.length === 1 && n !== tree.root) kept.set(n, mergeBranch(children[0]!, n.length));
    else kept.set(n, { ...n, children });
  }
  let root = kept.get(tree.root);
  if (!root)
    throw new InputError(
      `keeping ${[...wanted].slice(0, 3).join(', ')}${wanted.size > 3 ? ', ...' : ''} leaves nothing of the tree; ` +
        `name leaves it has`,
    );
  // A root left with one child is not a node: the child becomes the root.
  while (root.children.length === 1) {
    const { length: _drop, ...rest } = root.children[0]!;
    root = rest;
  }
  return { root, rooted: tree.rooted };
}

function mergeBranch(child: TreeNode, above: number | undefined): TreeNode {
  if (above === undefined) return child;
  return { ...child, length: (child.length ?? 0) + above };
}
