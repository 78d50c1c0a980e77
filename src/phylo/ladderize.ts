// Ladderizing (ape's `ladderize`): order each node's children by clade size so the drawing reads as a ladder.
import type { Tree, TreeNode } from './tree.js';
import { postorder } from './traverse.js';

/** Children sorted by leaf count, smallest first (largest first with `largestFirst`); ties keep their order. */
export function ladderize(tree: Tree, largestFirst = false): Tree {
  const size = new Map<TreeNode, number>();
  const rebuilt = new Map<TreeNode, TreeNode>();
  for (const n of postorder(tree.root)) {
    if (n.children.length === 0) {
      size.set(n, 1);
      rebuilt.set(n, n);
      continue;
    }
    let s = 0;
    for (const c of n.children) s += size.get(c)!;
    size.set(n, s);
    const order = n.children.map((c, i) => ({ c, i, s: size.get(c)! }));
    order.sort((x, y) => (largestFirst ? y.s - x.s : x.s - y.s) || x.i - y.i);
    rebuilt.set(n, { ...n, children: order.map((o) => rebuilt.get(o.c)!) });
  }
  return { root: rebuilt.get(tree.root)!, rooted: tree.rooted };
}
