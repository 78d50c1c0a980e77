// Balanced minimum evolution (Desper & Gascuel 2002, FastME's BME + bNNI): start from BIONJ and NJ trees, apply the
// nearest-neighbour interchange that shortens the balanced tree length most until none does, and give the branches
// their balanced (Pauplin 2000) lengths.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { bionj } from './bionj.js';
import { checkTreeInput } from './matrix-check.js';
import { neighborJoining } from './nj.js';
import type { Tree, TreeNode } from './tree.js';
import { preorder } from './traverse.js';

/** Beyond this the all-pairs subtree average table (O(n^2) doubles, rebuilt per interchange) is too large. */
export const BME_MAX_TAXA = 800;

/** An unrooted binary tree as an adjacency table: leaves 0..n-1 (one neighbour), internal nodes n.. (three). */
interface Binary {
  readonly n: number;
  readonly nodes: number;
  readonly nbr: Int32Array; // nodes x 3
}

export function balancedMinimumEvolution(m: DistanceMatrix): Tree {
  const n = checkTreeInput(m, 'balanced minimum evolution');
  if (n > BME_MAX_TAXA)
    throw new InputError(
      `balanced minimum evolution: ${n} models is more than ${BME_MAX_TAXA}; use --method nj or bionj for matrices ` +
        `this large`,
    );
  if (n <= 3) return neighborJoining(m);
  let best: { tree: Binary; length: number; table: Float64Array; ids: Int32Array } | undefined;
  for (const start of [bionj(m), neighborJoining(m)]) {
    const t = toBinary(start, m.labels);
    const { table, ids } = searchNNI(t, m);
    const length = balancedLength(t, table, ids);
    if (!best || length < best.length - 1e-12) best = { tree: t, length, table, ids };
  }
  return toTree(best!.tree, best!.table, best!.ids, m.labels);
}

/** Balanced tree length of `tree` for matrix m (Pauplin's formula): sum over leaf pairs of 2^(1 - edges) d. */
export function balancedTreeLength(tree: Tree, m: DistanceMatrix): number {
  const index = new Map(m.labels.map((l, i) => [l, i]));
  const nodes = preorder(tree.root);
  const id = new Map<TreeNode, number>();
  nodes.forEach((x, i) => {
    id.set(x, i);
  });
  const adj: number[][] = nodes.map(() => []);
  for (const x of nodes) {
    for (const c of x.children) {
      adj[id.get(x)!]!.push(id.get(c)!);
      adj[id.get(c)!]!.push(id.get(x)!);
    }
  }
  // A degree-2 root is not a node of the unrooted tree: it does not add an edge to paths through it.
  const rootId = 0;
  const skipRoot = tree.root.children.length === 2;
  const leaves = nodes.map((x, i) => [x, i] as const).filter(([x]) => x.children.length === 0);
  const n = m.labels.length;
  let total = 0;
  for (const [leaf, li] of leaves) {
    const a = index.get(leaf.name ?? '');
    if (a === undefined) throw new InputError(`tree leaf "${leaf.name ?? ''}" is not in the matrix`);
    const depth = new Int32Array(nodes.length).fill(-1);
    depth[li] = 0;
    const stack = [li];
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const y of adj[x]!) {
        if (depth[y] !== -1) continue;
        depth[y] = depth[x]! + (skipRoot && x === rootId ? 0 : 1);
        stack.push(y);
      }
    }
    for (const [other, oi] of leaves) {
      const b = index.get(other.name ?? '')!;
      if (b <= a) continue;
      total += 2 ** (1 - depth[oi]!) * m.values[a * n + b]!;
    }
  }
  return total;
}

function toBinary(tree: Tree, labels: readonly string[]): Binary {
  const n = labels.length;
  const leafId = new Map(labels.map((l, i) => [l, i]));
  const nodes = 2 * n - 2;
  const nbr = new Int32Array(nodes * 3).fill(-1);
  const deg = new Int32Array(nodes);
  let next = n;
  const idOf = new Map<TreeNode, number>();
  for (const x of preorder(tree.root)) idOf.set(x, x.children.length === 0 ? leafId.get(x.name!)! : next++);
  const link = (a: number, b: number): void => {
    nbr[a * 3 + deg[a]!++] = b;
    nbr[b * 3 + deg[b]!++] = a;
  };
  for (const x of preorder(tree.root)) for (const c of x.children) link(idOf.get(x)!, idOf.get(c)!);
  return { n, nodes, nbr };
}

/**
 * Directed edges u->v (the subtree at v seen from u) get compact ids; table[e * E + f] is the balanced average
 * distance between the subtrees of e and f (meaningful when they are disjoint).
 */
function averages(t: Binary, m: DistanceMatrix): { table: Float64Array; ids: Int32Array } {
  const { n, nodes, nbr } = t;
  const ids = new Int32Array(nodes * 3).fill(-1);
  const tails: number[] = [];
  const heads: number[] = [];
  for (let u = 0; u < nodes; u++) {
    for (let k = 0; k < (u < n ? 1 : 3); k++) {
      ids[u * 3 + k] = tails.length;
      tails.push(u);
      heads.push(nbr[u * 3 + k]!);
    }
  }
  const E = tails.length;
  // Sub-edges of each directed edge (the two edges leaving its head, away from its tail) and subtree sizes.
  const sub1 = new Int32Array(E).fill(-1);
  const sub2 = new Int32Array(E).fill(-1);
  for (let e = 0; e < E; e++) {
    const v = heads[e]!;
    if (v < n) continue;
    const out: number[] = [];
    for (let k = 0; k < 3; k++) if (nbr[v * 3 + k] !== tails[e]) out.push(ids[v * 3 + k]!);
    sub1[e] = out[0]!;
    sub2[e] = out[1]!;
  }
  const size = new Int32Array(E);
  const order: number[] = [];
  // Sizes by memoised walk (sub-edges are strictly smaller).
  const sizeOf = (e: number): number => {
    const stack = [e];
    while (stack.length > 0) {
      const x = stack[stack.length - 1]!;
      if (size[x]! > 0) {
        stack.pop();
        continue;
      }
      if (sub1[x] === -1) {
        size[x] = 1;
        stack.pop();
        continue;
      }
      const a = sub1[x]!;
      const b = sub2[x]!;
      if (size[a]! > 0 && size[b]! > 0) {
        size[x] = size[a]! + size[b]!;
        stack.pop();
      } else {
        if (size[a] === 0) stack.push(a);
        if (size[b] === 0) stack.push(b);
      }
    }
    return size[e]!;
  };
  for (let e = 0; e < E; e++) sizeOf(e);
  for (let e = 0; e < E; e++) order.push(e);
  order.sort((a, b) => size[a]! - size[b]!);
  const table = new Float64Array(E * E);
  const D = m.values;
  // Outer and inner loops ascending in subtree size: every term a value depends on is already filled.
  for (const e of order) {
    const e1 = sub1[e]!;
    const e2 = sub2[e]!;
    const he = heads[e]!;
    const rowE = e * E;
    for (const f of order) {
      let v: number;
      if (e1 >= 0) v = (table[e1 * E + f]! + table[e2 * E + f]!) / 2;
      else if (sub1[f]! >= 0) v = (table[rowE + sub1[f]!]! + table[rowE + sub2[f]!]!) / 2;
      else v = D[he * n + heads[f]!]!;
      table[rowE + f] = v;
    }
  }
  return { table, ids };
}

function edgeIdOf(t: Binary, ids: Int32Array, u: number, v: number): number {
  for (let k = 0; k < 3; k++) if (t.nbr[u * 3 + k] === v) return ids[u * 3 + k]!;
  throw new Error(`no edge ${u}-${v}`);
}

function others(t: Binary, u: number, v: number): [number, number] {
  const out: number[] = [];
  for (let k = 0; k < 3; k++) if (t.nbr[u * 3 + k] !== v) out.push(t.nbr[u * 3 + k]!);
  return [out[0]!, out[1]!];
}

/**
 * The four subtrees around the internal edge u-v, AB|CD: a and b the other neighbours of u, c and d those of v,
 * and A, B, C, Dd the ids of the edges that lead into them (the keys of the average table).
 */
function quartet(
  t: Binary,
  ids: Int32Array,
  u: number,
  v: number,
): { a: number; b: number; c: number; d: number; A: number; B: number; C: number; Dd: number } {
  const [a, b] = others(t, u, v);
  const [c, d] = others(t, v, u);
  return {
    a,
    b,
    c,
    d,
    A: edgeIdOf(t, ids, u, a),
    B: edgeIdOf(t, ids, u, b),
    C: edgeIdOf(t, ids, v, c),
    Dd: edgeIdOf(t, ids, v, d),
  };
}

function replaceNeighbour(t: Binary, u: number, from: number, to: number): void {
  for (let k = 0; k < 3; k++) {
    if (t.nbr[u * 3 + k] === from) {
      t.nbr[u * 3 + k] = to;
      return;
    }
  }
}

/** Best-improvement balanced NNI until no interchange shortens the tree; returns the final average table. */
function searchNNI(t: Binary, m: DistanceMatrix): { table: Float64Array; ids: Int32Array } {
  const { n, nodes } = t;
  let scale = 1e-300;
  for (let i = 0; i < m.values.length; i++) scale = Math.max(scale, Math.abs(m.values[i]!));
  for (let round = 0; round < 100 * n; round++) {
    const { table, ids } = averages(t, m);
    const E = Math.sqrt(table.length);
    const avg = (e: number, f: number): number => table[e * E + f]!;
    let bestGain = 1e-12 * scale;
    let move: [number, number, number, number] | undefined;
    for (let u = n; u < nodes; u++) {
      for (let k = 0; k < 3; k++) {
        const v = t.nbr[u * 3 + k]!;
        if (v < n || v < u) continue; // each internal edge once
        const { b, c, d, A, B, C, Dd } = quartet(t, ids, u, v);
        const now = avg(A, B) + avg(C, Dd);
        // Swapping b and c gives AC|BD; swapping b and d gives AD|BC (length change = (new - now) / 4).
        const gainBC = (now - avg(A, C) - avg(B, Dd)) / 4;
        const gainBD = (now - avg(A, Dd) - avg(B, C)) / 4;
        if (gainBC > bestGain) {
          bestGain = gainBC;
          move = [u, v, b, c];
        }
        if (gainBD > bestGain) {
          bestGain = gainBD;
          move = [u, v, b, d];
        }
      }
    }
    if (!move) return { table, ids };
    const [u, v, x, y] = move;
    // Exchange x (a neighbour of u) with y (a neighbour of v) across the edge u-v.
    replaceNeighbour(t, u, x, y);
    replaceNeighbour(t, v, y, x);
    replaceNeighbour(t, x, u, v);
    replaceNeighbour(t, y, v, u);
  }
  return averages(t, m);
}

/** Balanced branch lengths: internal AB|CD: (AC+BD+AD+BC)/4 - (AB+CD)/2; leaf i beside B, C: (iB+iC-BC)/2. */
function branchLength(t: Binary, table: Float64Array, ids: Int32Array, u: number, v: number): number {
  const E = Math.sqrt(table.length);
  const avg = (e: number, f: number): number => table[e * E + f]!;
  const { n } = t;
  if (u < n || v < n) {
    const [leaf, inner] = u < n ? [u, v] : [v, u];
    const [b, c] = others(t, inner, leaf);
    const I = edgeIdOf(t, ids, inner, leaf);
    const B = edgeIdOf(t, ids, inner, b);
    const C = edgeIdOf(t, ids, inner, c);
    return (avg(I, B) + avg(I, C) - avg(B, C)) / 2;
  }
  const { A, B, C, Dd } = quartet(t, ids, u, v);
  return (avg(A, C) + avg(B, Dd) + avg(A, Dd) + avg(B, C)) / 4 - (avg(A, B) + avg(C, Dd)) / 2;
}

function balancedLength(t: Binary, table: Float64Array, ids: Int32Array): number {
  let total = 0;
  for (let u = 0; u < t.nodes; u++) {
    for (let k = 0; k < (u < t.n ? 1 : 3); k++) {
      const v = t.nbr[u * 3 + k]!;
      if (v > u) total += branchLength(t, table, ids, u, v);
    }
  }
  return total;
}

function toTree(t: Binary, table: Float64Array, ids: Int32Array, labels: readonly string[]): Tree {
  const root = t.nbr[0]!; // the internal neighbour of leaf 0
  const build = (v: number, from: number): TreeNode => {
    const length = branchLength(t, table, ids, v, from);
    if (v < t.n) return { name: labels[v]!, length, children: [] };
    const [a, b] = others(t, v, from);
    return { length, children: [build(a, v), build(b, v)] };
  };
  const children: TreeNode[] = [];
  for (let k = 0; k < 3; k++) children.push(build(t.nbr[root * 3 + k]!, root));
  return { root: { children }, rooted: false };
}
