// UPGMA (Sokal & Michener 1958): average-linkage clustering into a rooted ultrametric tree, each node at half the
// distance of the clusters it joins (as phangorn's `upgma`). Built with the nearest-neighbour chain (Murtagh 1983),
// which gives the same hierarchy as the textbook loop for a reducible linkage such as average, in O(n^2).
import type { DistanceMatrix } from '../core/matrix.js';
import { checkTreeInput } from './matrix-check.js';
import type { Tree, TreeNode } from './tree.js';

type Building = { name?: string; length?: number; children: TreeNode[] };

export function upgma(m: DistanceMatrix): Tree {
  const n = checkTreeInput(m, 'UPGMA');
  if (n === 1) return { root: { name: m.labels[0]!, children: [] }, rooted: true };
  const D = Float64Array.from(m.values);
  const size = new Float64Array(n).fill(1);
  const height = new Float64Array(n);
  const alive = new Uint8Array(n).fill(1);
  const nodes: Building[] = m.labels.map((name) => ({ name, children: [] }));
  const chain: number[] = [];
  let remaining = n;
  let root = 0;
  while (remaining > 1) {
    if (chain.length === 0) {
      let first = 0;
      while (!alive[first]) first++;
      chain.push(first);
    }
    const a = chain[chain.length - 1]!;
    const prev = chain.length > 1 ? chain[chain.length - 2]! : -1;
    // Nearest neighbour of a; prefer the previous chain element on ties so the chain always ends.
    let b = prev;
    let best = prev >= 0 ? D[a * n + prev]! : Infinity;
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === a) continue;
      const d = D[a * n + k]!;
      if (d < best) {
        best = d;
        b = k;
      }
    }
    if (b !== prev) {
      chain.push(b);
      continue;
    }
    // a and b are reciprocal nearest neighbours: merge them into a's slot.
    chain.pop();
    chain.pop();
    const h = best / 2;
    nodes[a] = {
      children: [
        { ...nodes[a]!, length: h - height[a]! },
        { ...nodes[b]!, length: h - height[b]! },
      ],
    };
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === a || k === b) continue;
      const d = (size[a]! * D[a * n + k]! + size[b]! * D[b * n + k]!) / (size[a]! + size[b]!);
      D[a * n + k] = d;
      D[k * n + a] = d;
    }
    size[a] = size[a]! + size[b]!;
    height[a] = h;
    alive[b] = 0;
    remaining--;
    root = a;
  }
  return { root: nodes[root]!, rooted: true };
}
