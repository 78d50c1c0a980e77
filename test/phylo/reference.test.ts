// Our methods against trees made by ape, phangorn and FastME on the same matrices (../shared/data/phylo-reference).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPhylip } from '../../src/distance/matrix-io.js';
import {
  balancedMinimumEvolution,
  balancedTreeLength,
  bionj,
  neighborJoining,
  parseNewick,
  patristicDistances,
  robinsonFoulds,
  splitsOf,
  upgma,
  type Tree,
} from '../../src/phylo/index.js';
import { MATRICES, REF, maxDifference } from './helpers.js';

const readTree = (name: string): Tree => parseNewick(fs.readFileSync(path.join(REF, name), 'utf8'), name);

describe.each(MATRICES)('%s', (name) => {
  const m = readPhylip(path.join(REF, `${name}.phy`));

  it.each([
    ['neighborJoining', neighborJoining, 'nj'],
    ['neighborJoining', neighborJoining, 'fastme-nj'],
    ['bionj', bionj, 'bionj'],
    ['upgma', upgma, 'upgma'],
  ] as const)('%s gives the topology and branch lengths of %s', (_, method, file) => {
    const ours = method(m);
    const ref = readTree(`${name}.${file}.nwk`);
    expect(robinsonFoulds(ours, ref).rf).toBe(0);
    // ape writes 10 significant digits and FastME 8 decimals: path lengths agree to well within 1e-6.
    expect(maxDifference(patristicDistances(ours), patristicDistances(ref))).toBeLessThan(1e-6);
  });

  it('upgma is rooted and ultrametric', () => {
    const t = upgma(m);
    expect(t.rooted).toBe(true);
    expect(t.root.children).toHaveLength(2);
    const p = patristicDistances(t);
    const n = p.labels.length;
    const depth = (i: number) => {
      // root-to-leaf depth: half the distance to any leaf on the other side of the root equals the root height
      let d = 0;
      for (let j = 0; j < n; j++) d = Math.max(d, p.values[i * n + j]!);
      return d;
    };
    const depths = Array.from({ length: n }, (_, i) => depth(i));
    for (const d of depths) expect(d).toBeCloseTo(depths[0]!, 9);
  });

  it('balancedMinimumEvolution matches FastME BME+NNI', () => {
    const ours = balancedMinimumEvolution(m);
    const ref = readTree(`${name}.bme_nni.nwk`);
    const ourLength = balancedTreeLength(ours, m);
    const refLength = balancedTreeLength(ref, m);
    // Branch lengths are the balanced (Pauplin) ones: they sum to the balanced tree length.
    let sum = 0;
    const walk = (n: Tree['root']): void => {
      for (const c of n.children) {
        sum += c.length ?? 0;
        walk(c);
      }
    };
    walk(ours.root);
    expect(sum).toBeCloseTo(ourLength, 9);
    if (name === 'additive30' || name === 'noisy30' || name === 'five') {
      expect(robinsonFoulds(ours, ref).rf).toBe(0);
      expect(ourLength).toBeCloseTo(refLength, 6);
    } else {
      // NNI can stop at another local optimum: the balanced length must be as short, within 0.5%.
      expect(Math.abs(ourLength - refLength) / refLength).toBeLessThan(0.005);
      expect(ourLength).toBeLessThanOrEqual(refLength * (1 + 1e-3));
    }
  });
});

describe('tree metric recovery', () => {
  it('NJ, BIONJ and BME return the true tree of additive30 with its branch lengths', () => {
    const m = readPhylip(path.join(REF, 'additive30.phy'));
    const truth = readTree('additive30.true.nwk');
    for (const method of [neighborJoining, bionj, balancedMinimumEvolution]) {
      const t = method(m);
      expect(robinsonFoulds(t, truth).rf).toBe(0);
      expect(maxDifference(patristicDistances(t), m)).toBeLessThan(1e-8);
    }
  });

  it('the true tree has the splits NJ finds, with the same lengths', () => {
    const m = readPhylip(path.join(REF, 'additive30.phy'));
    const truth = new Map(splitsOf(readTree('additive30.true.nwk')).map((s) => [s.key, s.length!]));
    const ours = splitsOf(neighborJoining(m));
    expect(ours).toHaveLength(27);
    for (const s of ours) expect(s.length!).toBeCloseTo(truth.get(s.key)!, 8);
  });
});

describe('robinsonFoulds against phangorn RF.dist (rf.tsv)', () => {
  const rows = fs
    .readFileSync(path.join(REF, 'rf.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  it('has every pair', () => expect(rows.length).toBeGreaterThan(80));
  it.each(rows)('%s: %s vs %s', (matrix, a, b, rf, normalized) => {
    const fileOf = (method: string) => (method === 'true' ? 'additive30.true.nwk' : `${matrix}.${method}.nwk`);
    const got = robinsonFoulds(readTree(fileOf(a!)), readTree(fileOf(b!)));
    expect(got.rf).toBe(Number(rf));
    expect(got.normalized).toBeCloseTo(Number(normalized), 6);
  });
});
