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
  const D = Float64Array.from(m.values);
  // Variances start equal to the distances (Gascuel's model: variance proportional to distance).
  const V = Float64Array.from(m.values);
  const S = new Float64Array(n);
  const act: number[] = [];
  for (let i = 0; i < n; i++) {
    D[i * n + i] = 0;
    V[i * n + i] = 0;
    act.push(i);
  }
  const nodes: Building[] = labels.map((name) => ({ name, children: [] }));

  while (act.length > 3) {
    const r = act.length;
    for (const a of act) {
      let s = 0;
      for (const b of act) s += D[a * n + b]!;
      S[a] = s;
    }
    // FastME's scan: x ascending, y < x, a pair replaces the best only when better by more than 1e-6; the
    // joined node takes the slot of x. Matching it keeps near-tied agglomeration orders (and lengths) identical.
    let qMin = 1e300;
    let x = -1;
    let y = -1;
    for (let p = 0; p < r; p++) {
      const a = act[p]!;
      const row = a * n;
      const sa = S[a]!;
      for (let q = 0; q < p; q++) {
        const b = act[q]!;
        const v = (r - 2) * D[row + b]! - sa - S[b]!;
        if (v < qMin - 1e-6) {
          qMin = v;
          x = a;
          y = b;
        }
      }
    }
    const dxy = D[x * n + y]!;
    const vxy = V[x * n + y]!;
    const lx = 0.5 * (dxy + (S[x]! - S[y]!) / (r - 2));
    const ly = 0.5 * (dxy + (S[y]! - S[x]!) / (r - 2));
    let lambda = 0.5;
    if (vxy !== 0) {
      let sum = 0;
      for (const k of act) if (k !== x && k !== y) sum += V[y * n + k]! - V[x * n + k]!;
      lambda = 0.5 + sum / (2 * (r - 2) * vxy);
    }
    lambda = Math.min(1, Math.max(0, lambda));
    // The new node u takes x's slot.
    for (const k of act) {
      if (k === x || k === y) continue;
      const duk = lambda * (D[x * n + k]! - lx) + (1 - lambda) * (D[y * n + k]! - ly);
      const vuk = lambda * V[x * n + k]! + (1 - lambda) * V[y * n + k]! - lambda * (1 - lambda) * vxy;
      D[x * n + k] = duk;
      D[k * n + x] = duk;
      V[x * n + k] = vuk;
      V[k * n + x] = vuk;
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
  const dab = D[a * n + b]!;
  const dac = D[a * n + c]!;
  const dbc = D[b * n + c]!;
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
