import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse.js';
import { InputError } from '../../src/core/errors.js';
import { leafLabels, preorder, type Tree, type TreeNode } from '../../src/phylo/index.js';
import { makeRun } from '../phenotype/fixtures.js';
import { CLANS, separableRun } from './synthetic.js';

/** The support of the branch splitting exactly `side` from the rest (either side), or undefined when absent. */
function supportOfSplit(tree: Tree, side: readonly string[]): number | undefined {
  const all = new Set(leafLabels(tree));
  const want = new Set(side);
  const leavesOf = (n: TreeNode): string[] => (n.children.length === 0 ? [n.name!] : n.children.flatMap(leavesOf));
  for (const node of preorder(tree.root)) {
    if (node === tree.root || node.children.length === 0) continue;
    const below = leavesOf(node);
    const other = [...all].filter((l) => !below.includes(l));
    const matches = (s: string[]) => s.length === want.size && s.every((l) => want.has(l));
    if (matches(below) || matches(other)) return node.support ?? Number.NaN;
  }
  return undefined;
}

describe('analyseRun on a trivially separable run', () => {
  for (const signal of ['embed', 'traits', 'combined'] as const) {
    it(`${signal}: the clans split with bootstrap support 1`, () => {
      const result = analyseRun(separableRun(), { signal, bootstrap: 30, seed: 5 });
      expect(result.models).toBe(6);
      expect(result.probes).toBe(40);
      expect(result.matrix.labels).toEqual([...CLANS.A, ...CLANS.B]);
      expect(supportOfSplit(result.tree, CLANS.A)).toBe(1);
      expect(result.perSignal.length).toBe(signal === 'combined' ? 2 : 1);
      expect(result.timings.total).toBeGreaterThan(0);
    });
  }

  it('alleles (several samples per probe): Nei and Jensen-Shannon both split the clans', () => {
    const data = separableRun(20, 6);
    for (const alleleMetric of ['nei', 'js'] as const) {
      const result = analyseRun(data, { signal: 'alleles', alleleMetric, bootstrap: 20, seed: 2 });
      expect(result.matrix.metric).toBe(alleleMetric === 'nei' ? 'nei' : 'jensen-shannon');
      expect(supportOfSplit(result.tree, CLANS.A)).toBe(1);
    }
  });

  it('is deterministic for a seed', () => {
    const a = analyseRun(separableRun(), { method: 'nj', bootstrap: 10, seed: 9 });
    const b = analyseRun(separableRun(), { method: 'nj', bootstrap: 10, seed: 9 });
    expect(a.tree).toEqual(b.tree);
    expect(Array.from(a.matrix.values)).toEqual(Array.from(b.matrix.values));
  });

  it('roots at the midpoint or on an outgroup when asked', () => {
    expect(analyseRun(separableRun(), { method: 'nj', root: 'midpoint' }).tree.rooted).toBe(true);
    const rooted = analyseRun(separableRun(), { method: 'nj', root: 'lab:b2' }).tree;
    expect(rooted.rooted).toBe(true);
    expect(rooted.root.children.some((c) => c.name === 'lab:b2')).toBe(true);
    expect(() => analyseRun(separableRun(), { root: 'lab:zz' })).toThrow(InputError);
  });
});

describe('analyseRun input errors and missing data', () => {
  it('alleles on a run with one sample per probe: a clear InputError', () => {
    expect(() => analyseRun(separableRun(), { signal: 'alleles' })).toThrow(/needs probes sampled several times/);
  });

  it('refuses unknown signals and methods, and runs with fewer than 3 models', () => {
    expect(() => analyseRun(separableRun(), { signal: 'vibes' as never })).toThrow(InputError);
    expect(() => analyseRun(separableRun(), { method: 'parsimony' as never })).toThrow(InputError);
    const two = makeRun([
      { model: 'm:a', probe: 'p', texts: ['x'] },
      { model: 'm:b', probe: 'p', texts: ['y'] },
    ]);
    expect(() => analyseRun(two)).toThrow(/at least 3/);
  });

  it('a model missing probes is averaged over the probes it has, and said so', () => {
    const data = separableRun();
    const gappy = {
      ...data,
      samples: data.samples.filter((s) => !(s.model === 'lab:a1' && (s.probe === 'p0' || s.probe === 'p1'))),
    };
    const result = analyseRun(gappy, { bootstrap: 10 });
    expect(result.warnings.join('\n')).toMatch(/lab:a1 answered 38 of 40 probes/);
    expect(supportOfSplit(result.tree, CLANS.A)).toBe(1);
  });
});
