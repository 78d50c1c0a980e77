import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { seededRng } from '../../src/core/random.js';
import {
  bootstrapReplicates,
  bootstrapSupport,
  compareSplits,
  ladderize,
  leafLabels,
  majorityRuleConsensus,
  midpointRoot,
  neighborJoining,
  outgroupRoot,
  parseNewick,
  patristicDistances,
  preorder,
  robinsonFoulds,
  splitsOf,
  type Tree,
} from '../../src/phylo/index.js';
import { maxDifference, randomTree, taxa } from './helpers.js';

const internalNodes = (t: Tree) => preorder(t.root).filter((n) => n !== t.root && n.children.length > 0);

describe('splits and Robinson-Foulds', () => {
  it('lists the non-trivial bipartitions by their smaller side, in tree order', () => {
    const s = splitsOf(parseNewick('((a,b):1,(c,d):2,e);'));
    expect(s.map((x) => x.leaves)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(s.map((x) => x.length)).toEqual([1, 2]);
    // A rooted tree's two root branches are one split; their lengths add.
    const r = splitsOf(parseNewick('(((a,b):1,c):0.5,(d,e):0.25);'));
    expect(r.map((x) => [x.leaves, x.length])).toEqual([
      [['d', 'e'], 0.75],
      [['a', 'b'], 1],
    ]);
  });

  it('is 0 for a tree and itself, symmetric, and at most 2(n-3)', () => {
    const rng = seededRng(3);
    for (let k = 0; k < 20; k++) {
      const labels = taxa(5 + k);
      const a = randomTree(rng, labels);
      const b = randomTree(rng, labels);
      expect(robinsonFoulds(a, a)).toEqual({ rf: 0, normalized: 0, max: 2 * (labels.length - 3) });
      const ab = robinsonFoulds(a, b);
      expect(robinsonFoulds(b, a)).toEqual(ab);
      expect(ab.rf).toBeLessThanOrEqual(ab.max);
      const cmp = compareSplits(a, b);
      expect(cmp.onlyA.length + cmp.onlyB.length).toBe(ab.rf);
      expect(cmp.shared.length + cmp.onlyA.length).toBe(labels.length - 3);
    }
  });

  it('ignores where the root is', () => {
    const a = parseNewick('((a,b),(c,d),(e,f));');
    const b = parseNewick('(a,(b,((c,d),(e,f))));');
    expect(robinsonFoulds(a, b).rf).toBe(0);
    const c = parseNewick('((a,c),(b,d),(e,f));');
    const cmp = compareSplits(a, c);
    expect(cmp.onlyA.map((s) => s.leaves)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(cmp.onlyB.map((s) => s.leaves)).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
    expect(cmp.shared.map((s) => s.leaves)).toEqual([['e', 'f']]);
  });

  it('refuses trees with different or repeated leaves', () => {
    expect(() => robinsonFoulds(parseNewick('(a,b,c,d);'), parseNewick('(a,b,c,e);'))).toThrow(InputError);
    expect(() => robinsonFoulds(parseNewick('(a,b,c,d);'), parseNewick('(a,b,c,e);'))).toThrow(
      /only in the first: "d"/,
    );
    expect(() => splitsOf(parseNewick('(a,a,b);'))).toThrow(/appears twice/);
  });
});

describe('bootstrap', () => {
  const tree = parseNewick('((a:1,b:1):1,(c:1,d:1):1,(e:1,f:1):1);');

  it('gives support 1 on every internal branch when every replicate is the tree', () => {
    const t = bootstrapSupport(tree, [tree, tree, tree]);
    const inner = internalNodes(t);
    expect(inner).toHaveLength(3);
    for (const n of inner) expect(n.support).toBe(1);
    expect(robinsonFoulds(t, tree).rf).toBe(0);
  });

  it('counts the fraction of replicates holding each split', () => {
    const other = parseNewick('((a,c),(b,d),(e,f));');
    const t = bootstrapSupport(tree, [tree, other, other, tree]);
    const byLeaves = new Map(
      internalNodes(t).map((n) => [
        preorder(n)
          .filter((x) => x.children.length === 0)
          .map((x) => x.name)
          .join(''),
        n.support,
      ]),
    );
    expect(byLeaves.get('ab')).toBe(0.5);
    expect(byLeaves.get('cd')).toBe(0.5);
    expect(byLeaves.get('ef')).toBe(1);
  });

  it('resamples columns with replacement, reproducibly by seed', () => {
    const seen: Int32Array[] = [];
    const trees = bootstrapReplicates({
      columns: 50,
      replicates: 20,
      seed: 11,
      build: (counts) => {
        seen.push(counts);
        return tree;
      },
    });
    expect(trees).toHaveLength(20);
    for (const c of seen) expect(c.reduce((s, x) => s + x, 0)).toBe(50);
    // Resampling leaves some columns out (about 1/e of them).
    const missing = seen.map((c) => c.filter((x) => x === 0).length);
    expect(Math.min(...missing)).toBeGreaterThan(5);
    const again: Int32Array[] = [];
    bootstrapReplicates({
      columns: 50,
      replicates: 20,
      seed: 11,
      build: (c) => {
        again.push(c);
        return tree;
      },
    });
    expect(again).toEqual(seen);
  });

  it('measures real support: noisy replicates of a clear tree support its splits', () => {
    const rng = seededRng(21);
    const truth = randomTree(rng, taxa(12), 0.3, 1);
    const base = patristicDistances(truth);
    const n = base.labels.length;
    // 40 noisy "probes": each column is the tree metric times noise; a replicate averages the drawn columns.
    const columns = Array.from({ length: 40 }, () => {
      const v = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) v[i * n + j] = v[j * n + i] = base.values[i * n + j]! * (0.8 + 0.4 * rng());
      return v;
    });
    const average = (counts: Int32Array | undefined) => {
      const v = new Float64Array(n * n);
      let total = 0;
      columns.forEach((c, k) => {
        const w = counts ? counts[k]! : 1;
        total += w;
        for (let x = 0; x < v.length; x++) v[x] = v[x]! + w * c[x]!;
      });
      return { ...base, values: v.map((x) => x / total) };
    };
    const reference = neighborJoining(average(undefined));
    const reps = bootstrapReplicates({
      columns: 40,
      replicates: 30,
      seed: 2,
      build: (c) => neighborJoining(average(c)),
    });
    const supported = bootstrapSupport(reference, reps);
    for (const node of internalNodes(supported)) {
      expect(node.support).toBeGreaterThanOrEqual(0);
      expect(node.support).toBeLessThanOrEqual(1);
    }
    const mean = internalNodes(supported).reduce((s, x) => s + x.support!, 0) / internalNodes(supported).length;
    expect(mean).toBeGreaterThan(0.7);
  });
});

describe('majorityRuleConsensus', () => {
  it('keeps the splits in more than half of the trees, with their frequency', () => {
    const a = parseNewick('((a:1,b:1):2,(c:1,d:1):4,(e:1,f:1):1);');
    const b = parseNewick('((a:1,b:1):4,(c:1,e:1):1,(d:1,f:1):1);');
    const c = parseNewick('((a:3,b:1):3,(c:1,d:1):2,(e:1,f:1):1);');
    const con = majorityRuleConsensus([a, b, c]);
    const splits = splitsOf(con);
    expect(splits.map((s) => [s.leaves.join(''), s.support])).toEqual(
      expect.arrayContaining([
        ['ab', 1],
        ['cd', 2 / 3],
        ['ef', 2 / 3],
      ]),
    );
    expect(splits).toHaveLength(3);
    // Mean lengths: the split ab has lengths 2, 4, 3; leaf a has 1, 1, 3.
    expect(splits.find((s) => s.leaves.join('') === 'ab')!.length).toBeCloseTo(3, 12);
    expect(preorder(con.root).find((n) => n.name === 'a')!.length).toBeCloseTo(5 / 3, 12);
  });

  it('returns the tree itself for identical trees and a star when nothing is shared', () => {
    const rng = seededRng(8);
    const t = randomTree(rng, taxa(15));
    expect(robinsonFoulds(majorityRuleConsensus([t, t, t]), t).rf).toBe(0);
    const star = majorityRuleConsensus([
      parseNewick('((a,b),c,(d,e));'),
      parseNewick('((a,c),b,(d,e));'),
      parseNewick('((b,c),a,(d,e));'),
    ]);
    expect(splitsOf(star).map((s) => s.leaves)).toEqual([['d', 'e']]);
  });
});

describe('rooting and ladderize', () => {
  const rng = seededRng(12);
  const trees = Array.from({ length: 8 }, (_, k) => randomTree(rng, taxa(4 + 3 * k)));

  it('midpointRoot keeps the unrooted tree and puts the root halfway along the longest path', () => {
    for (const t of trees) {
      const r = midpointRoot(t);
      expect(r.rooted).toBe(true);
      expect(r.root.children).toHaveLength(2);
      expect(robinsonFoulds(r, t).rf).toBe(0);
      const p = patristicDistances(t);
      expect(maxDifference(patristicDistances(r), p)).toBeLessThan(1e-12);
      // Depth of each leaf from the root; the deepest is half the diameter.
      const depths: number[] = [];
      const walk = (n: Tree['root'], d: number): void => {
        if (n.children.length === 0) depths.push(d);
        else for (const c of n.children) walk(c, d + (c.length ?? 0));
      };
      walk(r.root, 0);
      const diameter = Math.max(...p.values);
      expect(Math.max(...depths)).toBeCloseTo(diameter / 2, 10);
    }
  });

  it('midpointRoot of a rooted tree (degree-2 root) finds the same midpoint', () => {
    for (const t of trees) {
      const once = midpointRoot(t);
      const twice = midpointRoot(outgroupRoot(t, leafLabels(t)[0]!));
      expect(robinsonFoulds(twice, t).rf).toBe(0);
      const depths = (r: Tree) => {
        const out: number[] = [];
        const walk = (n: Tree['root'], d: number): void => {
          if (n.children.length === 0) out.push(d);
          else for (const c of n.children) walk(c, d + (c.length ?? 0));
        };
        walk(r.root, 0);
        return Math.max(...out);
      };
      expect(depths(twice)).toBeCloseTo(depths(once), 10);
    }
    const two = midpointRoot(parseNewick('(a:1,b:3);'));
    expect(two.root.children.map((c) => c.length)).toEqual([2, 2]);
  });

  it('outgroupRoot hangs the rest of the tree beside the outgroup and keeps support on its split', () => {
    const t = parseNewick('((a:1,b:2)0.9:0.5,(c:1,d:1)0.7:1,e:3);');
    const r = outgroupRoot(t, 'a');
    expect(r.root.children.map((c) => c.name ?? 'rest')).toEqual(['a', 'rest']);
    expect(r.root.children[0]!.length).toBe(1);
    expect(r.root.children[1]!.length).toBe(0);
    expect(robinsonFoulds(r, t).rf).toBe(0);
    expect(maxDifference(patristicDistances(r), patristicDistances(t))).toBe(0);
    const supports = new Map(splitsOf(r).map((s) => [s.leaves.join(''), s.support]));
    expect(supports.get('ab')).toBe(0.9);
    expect(supports.get('cd')).toBe(0.7);
    for (const t2 of trees) {
      const label = leafLabels(t2)[1]!;
      const r2 = outgroupRoot(t2, label);
      expect(r2.root.children.some((c) => c.name === label)).toBe(true);
      expect(robinsonFoulds(r2, t2).rf).toBe(0);
    }
    expect(() => outgroupRoot(t, 'zz')).toThrow(/outgroup "zz" is not a leaf/);
  });

  it('ladderize orders children by clade size and changes nothing else', () => {
    for (const t of trees) {
      const l = ladderize(midpointRoot(t));
      expect(robinsonFoulds(l, t).rf).toBe(0);
      expect(maxDifference(patristicDistances(l), patristicDistances(t))).toBeLessThan(1e-12);
      const size = (n: Tree['root']): number =>
        n.children.length === 0 ? 1 : n.children.reduce((s, c) => s + size(c), 0);
      for (const n of preorder(l.root)) {
        const sizes = n.children.map(size);
        expect(sizes).toEqual([...sizes].sort((x, y) => x - y));
      }
    }
  });
});
