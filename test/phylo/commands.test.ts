// `phylo compare` and `phylo score` end to end through the CLI entry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPhylip, writeMatrixTsv } from '../../src/distance/matrix-io.js';
import {
  familyClades,
  nearestNeighbourAccuracy,
  neighborJoining,
  patristicDistances,
  readNewickFile,
  writeNewickFile,
} from '../../src/phylo/index.js';
import { runCli } from '../helpers/run-cli.js';
import { ALPACA, REF } from './helpers.js';

const families = path.join(ALPACA, 'FAMILIES.tsv');

describe('phylo compare', () => {
  it('prints RF and the splits in one tree only', async () => {
    const { code, out } = await runCli([
      'compare',
      path.join(REF, 'additive30.nj.nwk'),
      path.join(REF, 'additive30.upgma.nwk'),
    ]);
    expect(code).toBe(0);
    expect(out).toContain('Robinson-Foulds: 8 of 54 (normalized 0.1481)');
    expect(out).toMatch(/splits only in .*additive30\.nj\.nwk \(4\):/);
    expect(out).toMatch(/splits only in .*additive30\.upgma\.nwk \(4\):/);
  });

  it('gives JSON matching rf.tsv', async () => {
    const { code, out } = await runCli([
      'compare',
      path.join(REF, 'euclid100.nj.nwk'),
      path.join(REF, 'euclid100.bme_nni.nwk'),
      '--json',
    ]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect([j.rf, j.max, j.leaves]).toEqual([134, 194, 100]);
    expect(j.normalized).toBeCloseTo(0.690722, 6);
    expect(j.onlyA).toHaveLength(67);
    expect(j.onlyA[0].leaves.length).toBeLessThanOrEqual(50);
  });

  it('exits 2 with one clear line on bad input', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-cmp-'));
    const bad = path.join(dir, 'bad.nwk');
    fs.writeFileSync(bad, '((a,b),c');
    const r1 = await runCli(['compare', bad, path.join(REF, 'five.nj.nwk')]);
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/^phylo: .*bad\.nwk: unexpected end of text at position 8/);
    const r2 = await runCli(['compare', path.join(REF, 'five.nj.nwk'), path.join(REF, 'additive30.nj.nwk')]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('different models');
    const r3 = await runCli(['compare', path.join(dir, 'nope.nwk'), path.join(REF, 'five.nj.nwk')]);
    expect(r3.code).toBe(2);
    expect(r3.err).toContain('cannot read it');
  });
});

describe('phylo score', () => {
  const m = readPhylip(path.join(REF, 'alpaca38.phy'));
  const tree = path.join(REF, 'alpaca38.nj.nwk');

  it('reports clades, k of K, and 1-NN accuracy by tree and matrix', async () => {
    const { code, out } = await runCli([
      'score',
      tree,
      '--labels',
      families,
      '--matrix',
      path.join(REF, 'alpaca-dev-tfidf.tsv'),
    ]);
    expect(code).toBe(0);
    const fam = new Map(
      fs
        .readFileSync(families, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t') as [string, string]),
    );
    const t = readNewickFile(tree);
    const clades = familyClades(t, fam);
    const k = clades.filter((c) => c.isClade).length;
    expect(out).toContain(`${k} of ${clades.length} families are clades of the unrooted tree`);
    expect(out).toMatch(/ clade {6}qwen-1\.5 \(3\): Qwen1\.5-14B-Chat, Qwen1\.5-72B-Chat, Qwen1\.5-7B-Chat/);
    const nnTree = nearestNeighbourAccuracy(patristicDistances(t), fam);
    const nnMatrix = nearestNeighbourAccuracy(m, fam);
    expect(out).toContain(`1-NN family accuracy by patristic distance: ${nnTree.correct} of ${nnTree.total}`);
    expect(out).toContain(`1-NN family accuracy by alpaca-dev-tfidf.tsv: ${nnMatrix.correct} of ${nnMatrix.total}`);
  });

  it('notes leaves without a family and models not in the tree, in JSON too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-score-'));
    // A tree of a subset of the models plus one unknown model.
    const sub = m.labels.slice(0, 20);
    const idx = sub.map((l) => m.labels.indexOf(l));
    const values = new Float64Array(21 * 21);
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) values[i * 21 + j] = m.values[idx[i]! * 38 + idx[j]!]!;
    for (let i = 0; i < 20; i++) values[i * 21 + 20] = values[20 * 21 + i] = 0.95;
    const small = { labels: [...sub, 'vendor:mystery model'], values, signal: 'test', metric: 'cosine' };
    const treeFile = path.join(dir, 'small.nwk');
    writeNewickFile(treeFile, neighborJoining(small));
    writeMatrixTsv(path.join(dir, 'small.tsv'), small);
    const text = await runCli(['score', treeFile, '--labels', families]);
    expect(text.code).toBe(0);
    expect(text.err).toContain(
      'note: 1 of 21 tree leaves have no family in FAMILIES.tsv and are not scored: vendor:mystery model',
    );
    expect(text.err).toContain('note: 18 models of FAMILIES.tsv are not in the tree and are ignored');
    const json = await runCli([
      'score',
      treeFile,
      '--labels',
      families,
      '--matrix',
      path.join(dir, 'small.tsv'),
      '--json',
    ]);
    const j = JSON.parse(json.out);
    expect(j.leaves).toBe(21);
    expect(j.notes).toHaveLength(2);
    expect(j.clades.of).toBe(j.clades.families.length);
    expect(j.nearestNeighbour.matrix.total).toBe(j.nearestNeighbour.tree.total);
    for (const c of j.clades.families) for (const member of c.members) expect(sub).toContain(member);
  });

  it('finds bare model names of the labels file under provider-prefixed leaves (replay:gpt4_0613)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-score-prefixed-'));
    const m = readPhylip(path.join(REF, 'alpaca38.phy'));
    const prefixed = { ...m, labels: m.labels.map((l) => `replay:${l}`) };
    const treeFile = path.join(dir, 'tree.nwk');
    writeNewickFile(treeFile, neighborJoining(prefixed));
    const bare = await runCli(['score', path.join(REF, 'alpaca38.nj.nwk'), '--labels', families, '--json']);
    const withPrefix = await runCli(['score', treeFile, '--labels', families, '--json']);
    expect(withPrefix.code).toBe(0);
    const a = JSON.parse(bare.out);
    const b = JSON.parse(withPrefix.out);
    expect(b.clades.of).toBe(14);
    expect(b.clades.count).toBe(a.clades.count);
    expect(b.nearestNeighbour.tree.correct).toBe(a.nearestNeighbour.tree.correct);
    expect(b.notes).toEqual([]);
  });

  it('exits 2 when the labels file lacks the columns', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-score-'));
    const bad = path.join(dir, 'bad.tsv');
    fs.writeFileSync(bad, 'name\tgroup\nx\ty\n');
    const r = await runCli(['score', tree, '--labels', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.tsv: the first row must name a "model" and a "family" column/);
  });

  it('has help with an example', async () => {
    const r = await runCli(['score', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Ties count as correct only');
    expect(r.out).toContain('$ phylo score');
  });
});

describe('phylo compare --common', () => {
  it('prunes both trees to the models they share', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-cmp-'));
    const a = path.join(dir, 'a.nwk');
    const b = path.join(dir, 'b.nwk');
    fs.writeFileSync(a, '((x1:1,x2:1):1,(y1:1,y2:1):1,(z1:1,extraA:1):1);');
    fs.writeFileSync(b, "((x1:1,y1:1):1,(x2:1,y2:1):1,z1:1,'extra B':2);");
    const refused = await runCli(['compare', a, b]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('pass --common');
    const r = await runCli(['compare', a, b, '--common', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.leaves).toBe(5);
    expect(j.note).toContain('compared on the 5 models in both trees');
    // On x1 x2 y1 y2 z1: A has {x1,x2} and {y1,y2}; B has {x1,y1} and {x2,y2}.
    expect(j.rf).toBe(4);
  });
});

describe('keepTips', () => {
  it('keeps the distances between the kept leaves', async () => {
    const { keepTips, parseNewick: parse, patristicDistances: pd } = await import('../../src/phylo/index.js');
    const t = parse('((a:1,b:2):0.5,(c:1,(d:1,e:1):0.25):2,f:3);');
    const k = keepTips(t, ['a', 'd', 'f', 'e']);
    const full = pd(t);
    const small = pd(k);
    const at = (m: typeof full, x: string, y: string) =>
      m.values[m.labels.indexOf(x) * m.labels.length + m.labels.indexOf(y)]!;
    for (const x of small.labels) for (const y of small.labels) expect(at(small, x, y)).toBeCloseTo(at(full, x, y), 12);
    expect([...small.labels].sort()).toEqual(['a', 'd', 'e', 'f']);
  });
});
