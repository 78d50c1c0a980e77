import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPhylip } from '../../src/distance/matrix-io.js';
import {
  familyClades,
  nearestNeighbourAccuracy,
  neighborJoining,
  parseNewick,
  patristicDistances,
} from '../../src/phylo/index.js';
import { ALPACA, REF } from './helpers.js';

const families = new Map([
  ['a1', 'A'],
  ['a2', 'A'],
  ['b1', 'B'],
  ['b2', 'B'],
  ['b3', 'B'],
  ['c1', 'C'],
]);

describe('familyClades', () => {
  it('says which families are one side of a split of the unrooted tree', () => {
    const t = parseNewick('((a1:1,a2:1):1,(b1:1,(b2:1,c1:1):1):1,b3:1);');
    expect(familyClades(t, families)).toEqual([
      { family: 'A', members: ['a1', 'a2'], isClade: true },
      { family: 'B', members: ['b1', 'b2', 'b3'], isClade: false },
    ]);
    // Unrooted: {b1, b2, b3, c1} is the other side of the split around a1, a2, so B plus C is a clade.
    const plus = new Map([...families, ['c1', 'B']]);
    expect(familyClades(t, plus).find((f) => f.family === 'B')!.isClade).toBe(true);
  });

  it('ignores models missing from the tree and families with one member', () => {
    const t = parseNewick('(a1,b1,(b2,b3));');
    const out = familyClades(t, new Map([...families, ['zz', 'A']]));
    expect(out).toEqual([{ family: 'B', members: ['b1', 'b2', 'b3'], isClade: true }]);
  });
});

describe('nearestNeighbourAccuracy', () => {
  it('scores each model whose family has another member, ties counting only when unanimous', () => {
    const labels = ['a1', 'a2', 'b1', 'b2', 'c1'];
    const d = [
      [0, 1, 2, 3, 3],
      [1, 0, 1, 3, 3],
      [2, 1, 0, 2, 3],
      [3, 3, 2, 0, 1],
      [3, 3, 3, 1, 0],
    ];
    const m = { labels, values: Float64Array.from(d.flat()), signal: 't', metric: 'm' };
    const r = nearestNeighbourAccuracy(m, families);
    const byModel = new Map(r.calls.map((c) => [c.model, c]));
    expect(byModel.get('a1')!.correct).toBe(true);
    // a2 is equally near a1 and b1: a tie that is not unanimous counts as wrong.
    expect(byModel.get('a2')!.nearest).toEqual(['a1', 'b1']);
    expect(byModel.get('a2')!.correct).toBe(false);
    // b1 is nearest a2 (1), b2 nearest c1 (1): both wrong.
    expect(byModel.get('b1')!.correct).toBe(false);
    expect(byModel.get('b2')!.correct).toBe(false);
    expect(byModel.has('c1')).toBe(false);
    expect([r.correct, r.total, r.accuracy]).toEqual([1, 4, 0.25]);
  });

  it('recovers most AlpacaEval families from the TF-IDF matrix and the NJ tree', () => {
    const rows = fs
      .readFileSync(path.join(ALPACA, 'FAMILIES.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    const fam = new Map(rows.map((r) => [r[0]!, r[1]!]));
    const m = readPhylip(path.join(REF, 'alpaca38.phy'));
    const byMatrix = nearestNeighbourAccuracy(m, fam);
    const tree = neighborJoining(m);
    const byTree = nearestNeighbourAccuracy(patristicDistances(tree), fam);
    // Only models whose family has another member are scored.
    expect(byMatrix.total).toBe(rows.filter((r) => rows.filter((x) => x[1] === r[1]).length > 1).length);
    expect(byMatrix.accuracy).toBeGreaterThan(0.5);
    expect(byTree.accuracy).toBeGreaterThan(0.5);
    const clades = familyClades(tree, fam);
    expect(clades.find((c) => c.family === 'qwen-1.5')!.isClade).toBe(true);
    expect(clades.find((c) => c.family === 'claude-3')!.isClade).toBe(true);
  });
});
