// Shared helpers for the phylo tests: where the reference data lives, seeded random trees, matrix comparison.
import { fileURLToPath } from 'node:url';
import type { DistanceMatrix } from '../../src/core/matrix.js';
import { randomInt, type Rng } from '../../src/core/random.js';
import type { Tree, TreeNode } from '../../src/phylo/tree.js';

/** ../shared/data/phylo-reference, relative to the repository root. */
export const REF = fileURLToPath(new URL('../../../shared/data/phylo-reference/', import.meta.url));
export const ALPACA = fileURLToPath(new URL('../../../shared/data/alpaca_eval/', import.meta.url));

export const MATRICES = ['five', 'additive30', 'noisy30', 'euclid100', 'alpaca38'] as const;

/** A random unrooted binary tree: random joins of leaf labels, branch lengths uniform in [lo, hi). */
export function randomTree(rng: Rng, labels: readonly string[], lo = 0.05, hi = 1): Tree {
  let pool: TreeNode[] = labels.map((name) => ({ name, length: lo + (hi - lo) * rng(), children: [] }));
  while (pool.length > 3) {
    const i = randomInt(rng, pool.length);
    const a = pool[i]!;
    pool = pool.filter((_, k) => k !== i);
    const j = randomInt(rng, pool.length);
    const b = pool[j]!;
    pool = pool.filter((_, k) => k !== j);
    pool.push({ length: lo + (hi - lo) * rng(), children: [a, b] });
  }
  return { root: { children: pool }, rooted: false };
}

/** Largest |a - b| over all label pairs, matching rows by label. */
export function maxDifference(a: DistanceMatrix, b: DistanceMatrix): number {
  const n = a.labels.length;
  if (b.labels.length !== n) throw new Error(`matrices of ${n} and ${b.labels.length} labels`);
  const ib = new Map(b.labels.map((l, i) => [l, i]));
  let max = 0;
  for (let i = 0; i < n; i++) {
    const bi = ib.get(a.labels[i]!);
    if (bi === undefined) throw new Error(`label ${a.labels[i]} missing`);
    for (let j = 0; j < n; j++) {
      const bj = ib.get(a.labels[j]!)!;
      max = Math.max(max, Math.abs(a.values[i * n + j]! - b.values[bi * n + bj]!));
    }
  }
  return max;
}

export function taxa(n: number, prefix = 't'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}
