// BIONJ (Gascuel 1997, Mol. Biol. Evol. 14:685): neighbor joining whose reduction weights the two joined nodes by
// a variance model (lambda), as in the FastME program's `-m I`.
import type { DistanceMatrix } from '../core/matrix.js';
import { checkTreeInput } from './matrix-check.js';
import type { Tree, TreeNode } from './tree.js';

type Building = { name?: string; length?: number; children: TreeNode[] };

/** Unrooted BIONJ tree; branch lengths as NJ's, kept when negative (as FastME writes them). */
export function bionj(m: DistanceMatrix): Tree {
  const n = checkTreeInput(m, 'BIONJ');
  const labels = m.labels;
  if (n === 1) return { root: { name: labels[0]!, children: [] }, rooted: false };
  if (n === 2) {
    const d = m.values[1]!;
    return {
      root: {
        children: [
          { name: labels[0]!, length: d / 2, children: [] },
          { name: labels[1]!, length: d / 2, children: [] },
        ],
      },
      rooted: false,
    };
  }
  // D and the variances V as lower triangles (pair i > j at tri[i] + j): half the memory of square copies.
  const tri = new Float64Array(n);
  for (let i = 0; i < n; i++) tri[i] = (i * (i - 1)) / 2;
  const at = (i: number, j: number) => (i > j ? tri[i]! + j : tri[j]! + i);
  const D = new Float64Array((n * (n - 1)) / 2);
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) D[tri[i]! + j] = m.values[i * n + j]!;
  // Variances start equal to the distances (Gascuel's model: variance proportional to distance).
  const V = Float64Array.from(D);
  const S = new Float64Array(n);
  const act: number[] = [];
  for (let i = 0; i < n; i++) act.push(i);
  const nodes: Building[] = labels.map((name) => ({ name, children: [] }));

  while (act.length > 3) {
    const r = act.length;
    // Row sums in one pass over the triangle. act stays ascending (a joined node keeps x's slot, y's is spliced
    // out), so row a holds a's terms with the slots before it, and the rows after it add the rest in slot order:
    // each S[a] is summed in the same order as over a square matrix's row.
    for (let p = 0; p < r; p++) {
      const a = act[p]!;
      const triA = tri[a]!;
      let s = 0;
      for (let q = 0; q < p; q++) {
        const b = act[q]!;
        const d = D[triA + b]!;
        s += d;
        S[b]! += d;
      }
      S[a] = s;
    }
    // FastME's scan: x ascending, y < x, a pair replaces the best only when better by more than 1e-6; the
    // joined node takes the slot of x. Matching it keeps near-tied agglomeration orders (and lengths) identical.
    let qMin = 1e300;
    let x = -1;
    let y = -1;
    for (let p = 0; p < r; p++) {
      const a = act[p]!;
      const triA = tri[a]!;
      const sa = S[a]!;
      for (let q = 0; q < p; q++) {
        const b = act[q]!;
        const v = (r - 2) * D[triA + b]! - sa - S[b]!;
        if (v < qMin - 1e-6) {
          qMin = v;
          x = a;
          y = b;
        }
      }
    }
    const dxy = D[at(x, y)]!;
    const vxy = V[at(x, y)]!;
    const lx = 0.5 * (dxy + (S[x]! - S[y]!) / (r - 2));
    const ly = 0.5 * (dxy + (S[y]! - S[x]!) / (r - 2));
    let lambda = 0.5;
    if (vxy !== 0) {
      let sum = 0;
      for (const k of act) if (k !== x && k !== y) sum += V[at(y, k)]! - V[at(x, k)]!;
      lambda = 0.5 + sum / (2 * (r - 2) * vxy);
    }
    lambda = Math.min(1, Math.max(0, lambda));
    // The new node u takes x's slot.
    for (const k of act) {
      if (k === x || k === y) continue;
      const xk = at(x, k);
      const yk = at(y, k);
      const duk = lambda * (D[xk]! - lx) + (1 - lambda) * (D[yk]! - ly);
      const vuk = lambda * V[xk]! + (1 - lambda) * V[yk]! - lambda * (1 - lambda) * vxy;
      D[xk] = duk;
      V[xk] = vuk;
    }
    nodes[x] = {
      children: [
        { ...nodes[x]!, length: lx },
        { ...nodes[y]!, length: ly },
      ],
    };
    act.splice(act.indexOf(y), 1);
  }
  const [a, b, c] = act as [number, number, number];
  const dab = D[at(a, b)]!;
  const dac = D[at(a, c)]!;
  const dbc = D[at(b, c)]!;
  return {
    root: {
      children: [
        { ...nodes[a]!, length: (dab + dac - dbc) / 2 },
        { ...nodes[b]!, length: (dab + dbc - dac) / 2 },
        { ...nodes[c]!, length: (dac + dbc - dab) / 2 },
      ],
    },
    rooted: false,
  };
}
