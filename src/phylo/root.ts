// Rooting an unrooted tree: at the midpoint of its longest leaf-to-leaf path (Farris 1972) or on the branch of an
// outgroup (as ape's `root(..., resolve.root = TRUE)`). Splits, lengths and support stay with their branches.
import { InputError } from '../core/errors.js';
import type { Tree, TreeNode } from './tree.js';
import { preorder } from './traverse.js';

interface Edge {
  readonly a: number;
  readonly b: number;
  readonly length?: number;
  readonly support?: number;
}

/** The tree as an undirected graph with a degree-2 root suppressed (its two branches merged into one). */
interface Unrooted {
  readonly nodes: readonly TreeNode[];
  readonly edges: readonly Edge[];
  /** Per node: [neighbour, edge index] pairs. */
  readonly adj: readonly (readonly [number, number])[][];
}

function unrooted(tree: Tree): Unrooted {
  const nodes = preorder(tree.root);
  const id = new Map<TreeNode, number>();
  nodes.forEach((n, i) => {
    id.set(n, i);
  });
  const edges: Edge[] = [];
  const root = tree.root;
  const suppress = root.children.length === 2;
  for (const n of nodes) {
    for (const c of n.children) {
      if (suppress && n === root) continue;
      edges.push({ a: id.get(n)!, b: id.get(c)!, length: c.length, support: c.support });
    }
  }
  if (suppress) {
    const [c1, c2] = root.children as [TreeNode, TreeNode];
    const length = c1.length === undefined && c2.length === undefined ? undefined : (c1.length ?? 0) + (c2.length ?? 0);
    const inner = c1.children.length > 0 ? c1 : c2;
    edges.push({ a: id.get(c1)!, b: id.get(c2)!, length, support: inner.support ?? c1.support ?? c2.support });
  }
  const adj: [number, number][][] = nodes.map(() => []);
  edges.forEach((e, k) => {
    adj[e.a]!.push([e.b, k]);
    adj[e.b]!.push([e.a, k]);
  });
  return { nodes, edges, adj };
}

/** The subtree hanging from node x when entered from `from`, with the branch above it set to length/support. */
function hang(u: Unrooted, x: number, from: number, length: number | undefined, support: number | undefined): TreeNode {
  // Iterative, so deep trees do not overflow the stack: build children first, then parents.
  const order: [number, number][] = [];
  const stack: [number, number][] = [[x, from]];
  while (stack.length > 0) {
    const [v, p] = stack.pop()!;
    order.push([v, p]);
    for (const [w] of u.adj[v]!) if (w !== p) stack.push([w, v]);
  }
  const built = new Map<number, TreeNode>();
  for (let k = order.length - 1; k >= 0; k--) {
    const [v, p] = order[k]!;
    const children: TreeNode[] = [];
    for (const [w, e] of u.adj[v]!) {
      if (w === p) continue;
      const edge = u.edges[e]!;
      children.push(withBranch(built.get(w)!, edge.length, edge.support));
    }
    const name = u.nodes[v]!.name;
    built.set(v, name !== undefined ? { name, children } : { children });
  }
  return withBranch(built.get(x)!, length, support);
}

function withBranch(n: TreeNode, length: number | undefined, support: number | undefined): TreeNode {
  const out: { name?: string; length?: number; support?: number; children: readonly TreeNode[] } = {
    children: n.children,
  };
  if (n.name !== undefined) out.name = n.name;
  if (length !== undefined) out.length = length;
  // Support belongs to internal branches only.
  if (support !== undefined && n.children.length > 0) out.support = support;
  return out;
}

/** Root on edge k at distance t from its end `a`; the side of `first` (an end of the edge) is listed first. */
function rootOnEdge(u: Unrooted, k: number, t: number | undefined, first?: number): Tree {
  const e = u.edges[k]!;
  const rest = e.length === undefined || t === undefined ? undefined : e.length - t;
  const children = [hang(u, e.a, e.b, t, e.support), hang(u, e.b, e.a, rest, e.support)];
  if (first === e.b) children.reverse();
  return { root: { children }, rooted: true };
}

function leafIds(u: Unrooted): number[] {
  const out: number[] = [];
  u.nodes.forEach((n, i) => {
    if (n.children.length === 0) out.push(i);
  });
  return out;
}

/** Distances (missing lengths count 0) and the edge used to reach each node, from `source`. */
function walk(u: Unrooted, source: number): { dist: Float64Array; via: Int32Array } {
  const dist = new Float64Array(u.nodes.length);
  const via = new Int32Array(u.nodes.length).fill(-2);
  via[source] = -1;
  const stack = [source];
  while (stack.length > 0) {
    const x = stack.pop()!;
    for (const [y, e] of u.adj[x]!) {
      if (via[y] !== -2) continue;
      via[y] = e;
      dist[y] = dist[x]! + (u.edges[e]!.length ?? 0);
      stack.push(y);
    }
  }
  return { dist, via };
}

/** Rooted at the midpoint of the longest path between two leaves (first such pair on ties). */
export function midpointRoot(tree: Tree): Tree {
  const u = unrooted(tree);
  const leaves = leafIds(u);
  if (leaves.length < 2 || u.edges.length === 0) return { ...tree, rooted: true };
  // The longest leaf-to-leaf path by dynamic programming over the tree hung from an inner node: each node's
  // longest path down to a leaf, and at each node the two longest through different children. Exact for any
  // branch lengths (negative ones too), in one pass.
  // (A suppressed degree-2 root has no edges left, so look for a node with at least two neighbours.)
  const start = u.adj.findIndex((a) => a.length >= 2);
  const order: number[] = [];
  const parent = new Int32Array(u.nodes.length).fill(-2);
  const stack = start >= 0 ? [start] : [];
  if (start >= 0) parent[start] = -1;
  while (stack.length > 0) {
    const x = stack.pop()!;
    order.push(x);
    for (const [y] of u.adj[x]!) {
      if (parent[y] !== -2) continue;
      parent[y] = x;
      stack.push(y);
    }
  }
  const down = new Float64Array(u.nodes.length);
  const downLeaf = new Int32Array(u.nodes.length);
  let best = -Infinity;
  let from = leaves[0]!;
  let to = leaves[1]!;
  for (let k = order.length - 1; k >= 0; k--) {
    const x = order[k]!;
    let first = -Infinity;
    let firstLeaf = -1;
    let second = -Infinity;
    let secondLeaf = -1;
    for (const [y, e] of u.adj[x]!) {
      if (y === parent[x]) continue;
      const v = down[y]! + (u.edges[e]!.length ?? 0);
      if (v > first) {
        second = first;
        secondLeaf = firstLeaf;
        first = v;
        firstLeaf = downLeaf[y]!;
      } else if (v > second) {
        second = v;
        secondLeaf = downLeaf[y]!;
      }
    }
    if (firstLeaf < 0) {
      down[x] = 0;
      downLeaf[x] = x;
      continue;
    }
    down[x] = first;
    downLeaf[x] = firstLeaf;
    if (secondLeaf >= 0 && first + second > best) {
      best = first + second;
      from = firstLeaf;
      to = secondLeaf;
    }
  }
  // Walk back from `to` towards `from` until half the path is covered.
  const { via, dist } = walk(u, from);
  if (best === -Infinity) best = dist[to]!; // two leaves joined by one edge
  const half = best / 2;
  let x = to;
  let covered = 0;
  for (;;) {
    const k = via[x]!;
    const e = u.edges[k]!;
    const len = e.length ?? 0;
    const next = e.a === x ? e.b : e.a;
    if (covered + len >= half || next === from) {
      // The midpoint lies on this edge, at (half - covered) from x.
      const fromX = Math.min(len, Math.max(0, half - covered));
      return rootOnEdge(u, k, e.a === x ? fromX : len - fromX);
    }
    covered += len;
    x = next;
  }
}

/**
 * Rooted on the branch of the outgroup leaf: the outgroup keeps its whole branch length and the rest of the tree
 * hangs from the root with a zero-length branch (ape's `root(tree, outgroup, resolve.root = TRUE)`).
 */
export function outgroupRoot(tree: Tree, label: string): Tree {
  const u = unrooted(tree);
  const leaf = u.nodes.findIndex((n) => n.children.length === 0 && n.name === label);
  if (leaf < 0) throw new InputError(`outgroup "${label}" is not a leaf of the tree; pick one of its leaf labels`);
  if (u.adj[leaf]!.length === 0) return { ...tree, rooted: true };
  const [, k] = u.adj[leaf]![0]!;
  const e = u.edges[k]!;
  const t = e.length;
  return rootOnEdge(u, k, e.a === leaf ? t : t === undefined ? undefined : 0, leaf);
}
