// Properties of the tree-building methods on random data.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { DistanceMatrix } from '../../src/core/matrix.js';
import { randomNormal, seededRng } from '../../src/core/random.js';
import {
  balancedMinimumEvolution,
  bionj,
  buildTree,
  leafLabels,
  neighborJoining,
  patristicDistances,
  robinsonFoulds,
  TREE_METHODS,
  treeMethod,
  upgma,
} from '../../src/phylo/index.js';
import { maxDifference, randomTree, taxa } from './helpers.js';

function euclidean(n: number, dim: number, seed: number): DistanceMatrix {
  const rng = seededRng(seed);
  const x = Array.from({ length: n * dim }, () => randomNormal(rng));
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += (x[i * dim + k]! - x[j * dim + k]!) ** 2;
      values[i * n + j] = values[j * n + i] = Math.sqrt(s);
    }
  }
  return { labels: taxa(n), values, signal: 'test', metric: 'l2' };
}

/** Textbook O(n^3) neighbor joining, to check the bounded search against. */
function plainNJ(m: DistanceMatrix) {
  const n = m.labels.length;
  const D = Float64Array.from(m.values);
  const act = Array.from({ length: n }, (_, i) => i);
  type N = { name?: string; length?: number; children: N[] };
  const nodes: N[] = m.labels.map((name) => ({ name, children: [] }));
  while (act.length > 3) {
    const r = act.length;
    const R = act.map((a) => act.reduce((s, b) => s + D[a * n + b]!, 0));
    let best = Infinity;
    let bi = 0;
    let bj = 0;
    for (let p = 0; p < r; p++) {
      for (let q = p + 1; q < r; q++) {
        const v = (r - 2) * D[act[p]! * n + act[q]!]! - R[p]! - R[q]!;
        if (v < best) [best, bi, bj] = [v, p, q];
      }
    }
    const a = act[bi]!;
    const b = act[bj]!;
    const dab = D[a * n + b]!;
    const la = (dab + (R[bi]! - R[bj]!) / (r - 2)) / 2;
    for (const k of act)
      if (k !== a && k !== b) D[a * n + k] = D[k * n + a] = (D[a * n + k]! + D[b * n + k]! - dab) / 2;
    nodes[a] = {
      children: [
        { ...nodes[a]!, length: la },
        { ...nodes[b]!, length: dab - la },
      ],
    };
    act.splice(bj, 1);
  }
  const [x, y, z] = act as [number, number, number];
  const d = (p: number, q: number) => D[p * n + q]!;
  return {
    rooted: false,
    root: {
      children: [
        { ...nodes[x]!, length: (d(x, y) + d(x, z) - d(y, z)) / 2 },
        { ...nodes[y]!, length: (d(x, y) + d(y, z) - d(x, z)) / 2 },
        { ...nodes[z]!, length: (d(x, z) + d(y, z) - d(x, y)) / 2 },
      ],
    },
  };
}

describe('additive matrices', () => {
  it.each([4, 5, 8, 17, 40, 90])('NJ, BIONJ and BME recover a random %i-taxon tree and its lengths', (n) => {
    const rng = seededRng(1000 + n);
    for (let trial = 0; trial < 3; trial++) {
      const truth = randomTree(rng, taxa(n));
      const m = patristicDistances(truth);
      for (const method of [neighborJoining, bionj, balancedMinimumEvolution]) {
        const t = method(m);
        expect(robinsonFoulds(t, truth).rf).toBe(0);
        expect(maxDifference(patristicDistances(t), m)).toBeLessThan(1e-9);
      }
    }
  });

  it('UPGMA recovers an ultrametric tree', () => {
    // An ultrametric tree: a rooted tree whose leaves are all at the same depth.
    const t = upgma(euclidean(25, 5, 3));
    const m = patristicDistances(t);
    const again = upgma(m);
    expect(robinsonFoulds(again, t).rf).toBe(0);
    expect(maxDifference(patristicDistances(again), m)).toBeLessThan(1e-9);
  });
});

describe('neighborJoining', () => {
  it.each([
    [12, 3],
    [60, 20],
    [300, 20],
  ])('equals textbook NJ on %i random Euclidean points in %i dimensions', (n, dim) => {
    const m = euclidean(n, dim, n);
    const fast = neighborJoining(m);
    const slow = plainNJ(m);
    expect(robinsonFoulds(fast, slow).rf).toBe(0);
    expect(maxDifference(patristicDistances(fast), patristicDistances(slow))).toBeLessThan(1e-9);
  });

  it('equals textbook NJ on non-metric, tiny-scale, large-scale and heavy-tailed matrices', () => {
    const rng = seededRng(99);
    for (let trial = 0; trial < 16; trial++) {
      const n = 4 + Math.floor(rng() * 120);
      const kind = trial % 4;
      const dim = 1 + Math.floor(rng() * 30);
      const x = Array.from(
        { length: n * dim },
        () => randomNormal(rng) * (kind === 3 ? Math.exp(randomNormal(rng)) : 1),
      );
      const values = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let v: number;
          if (kind === 0) v = rng();
          else if (kind === 1) v = rng() * 1e-7 + 1e-3;
          else {
            let s = 0;
            for (let k = 0; k < dim; k++) s += (x[i * dim + k]! - x[j * dim + k]!) ** 2;
            v = Math.sqrt(s) * (kind === 2 ? 1000 : 1);
          }
          values[i * n + j] = values[j * n + i] = v;
        }
      }
      const m = { labels: taxa(n), values, signal: 't', metric: 'x' };
      expect(robinsonFoulds(neighborJoining(m), plainNJ(m)).rf).toBe(0);
    }
  });

  it('handles zero distances, ties and duplicate points', () => {
    const n = 30;
    const rng = seededRng(5);
    const values = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) values[i * n + j] = values[j * n + i] = Math.floor(rng() * 3);
    const m = { labels: taxa(n), values, signal: 't', metric: 'x' };
    const fast = neighborJoining(m);
    expect(leafLabels(fast).sort()).toEqual(taxa(n).sort());
    // With ties several trees are optimal; whichever is picked must be a complete binary unrooted tree.
    let branches = 0;
    const walk = (x: typeof fast.root): void => {
      if (x !== fast.root && x.children.length > 0) expect(x.children).toHaveLength(2);
      for (const c of x.children) {
        branches++;
        expect(Number.isFinite(c.length)).toBe(true);
        walk(c);
      }
    };
    walk(fast.root);
    expect(fast.root.children).toHaveLength(3);
    expect(branches).toBe(2 * n - 3);
  });

  it('builds trees for 1, 2 and 3 taxa', () => {
    const one = neighborJoining({ labels: ['a'], values: new Float64Array([0]), signal: 's', metric: 'm' });
    expect(leafLabels(one)).toEqual(['a']);
    const two = neighborJoining({
      labels: ['a', 'b'],
      values: new Float64Array([0, 2, 2, 0]),
      signal: 's',
      metric: 'm',
    });
    expect(patristicDistances(two).values[1]).toBe(2);
    const three = neighborJoining({
      labels: ['a', 'b', 'c'],
      values: new Float64Array([0, 3, 4, 3, 0, 5, 4, 5, 0]),
      signal: 's',
      metric: 'm',
    });
    expect(
      maxDifference(patristicDistances(three), {
        labels: ['a', 'b', 'c'],
        values: new Float64Array([0, 3, 4, 3, 0, 5, 4, 5, 0]),
        signal: '',
        metric: '',
      }),
    ).toBeLessThan(1e-12);
  });

  it('rejects NaN, infinite and duplicate-label matrices with InputError', () => {
    const bad = {
      labels: ['a', 'b', 'c'],
      values: new Float64Array([0, 1, NaN, 1, 0, 1, NaN, 1, 0]),
      signal: 's',
      metric: 'm',
    };
    expect(() => neighborJoining(bad)).toThrow(InputError);
    expect(() => neighborJoining(bad)).toThrow(/a x c/);
    const dup = { labels: ['a', 'a', 'c'], values: new Float64Array(9), signal: 's', metric: 'm' };
    expect(() => bionj(dup)).toThrow(/appears twice/);
    expect(() => upgma({ labels: [], values: new Float64Array(0), signal: 's', metric: 'm' })).toThrow(InputError);
  });
});

describe('buildTree', () => {
  it('dispatches every method by name and rejects unknown ones', () => {
    const m = euclidean(15, 4, 9);
    expect(robinsonFoulds(buildTree('nj', m), neighborJoining(m)).rf).toBe(0);
    expect(robinsonFoulds(buildTree('bionj', m), bionj(m)).rf).toBe(0);
    expect(robinsonFoulds(buildTree('upgma', m), upgma(m)).rf).toBe(0);
    expect(robinsonFoulds(buildTree('bme', m), balancedMinimumEvolution(m)).rf).toBe(0);
    expect(TREE_METHODS).toEqual(['nj', 'bionj', 'upgma', 'bme']);
    expect(() => treeMethod('ml')).toThrow(/use one of nj, bionj, upgma, bme/);
  });
});
