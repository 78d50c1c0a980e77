// Matrices and trees in the field's formats: safe labels and their map, PHYLIP with ids, NEXUS in and out, the one
// matrix check, and `phylo tree --matrix` / `compare` / `score` reading what we write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DistanceMatrix } from '../../src/core/matrix.js';
import {
  formatNexus,
  parseNexusDistances,
  phylipIds,
  readDistanceMatrix,
  readPhylip,
  writeMatrixFiles,
} from '../../src/distance/matrix-io.js';
import {
  checkDistanceMatrix,
  formatLabelMap,
  isSafeLabel,
  leafLabels,
  MatrixError,
  neighborJoining,
  parseLabelMap,
  parseNewick,
  readNamedTree,
  readNewickFile,
  robinsonFoulds,
  safeLabels,
  writeNewickFile,
} from '../../src/phylo/index.js';
import { runCli } from '../helpers/run-cli.js';
import { ALPACA, maxDifference, REF } from './helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-formats-'));

const MODELS = ['replay:gemma-7b-it', 'openai:gpt-4o-mini', 'lab:base_v2', "it's", 'x y', 'plain', '42'];

function matrixOf(labels: readonly string[]): DistanceMatrix {
  const n = labels.length;
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) values[i * n + j] = values[j * n + i] = 0.1 * (i + 1) + 0.01 * j + Math.PI / 1e3;
  return { labels, values, signal: 'embed', metric: 'cosine' };
}

describe('safe labels', () => {
  it('maps every label to a unique id of letters, digits, . and -, and the map reads back', () => {
    const ids = safeLabels([...MODELS, 'replay-gemma-7b-it']);
    expect(ids.get('replay:gemma-7b-it')).toBe('replay-gemma-7b-it-2');
    expect(ids.get('replay-gemma-7b-it')).toBe('replay-gemma-7b-it');
    expect(ids.get('lab:base_v2')).toBe('lab-base-v2');
    expect(ids.get('42')).toBe('t42');
    for (const id of ids.values()) expect(isSafeLabel(id)).toBe(true);
    expect(new Set(ids.values()).size).toBe(ids.size);
    const back = parseLabelMap(formatLabelMap(ids), 'labels.tsv');
    for (const [name, id] of ids) expect(back.get(id)).toBe(name);
  });

  it('refuses a malformed map with one line', () => {
    expect(() => parseLabelMap('model\tfamily\n', 'm.tsv')).toThrow(/m\.tsv: a label map starts with the header/);
    expect(() => parseLabelMap('id\tname\na\tx\na\ty\n', 'm.tsv')).toThrow(/id "a" appears twice/);
  });

  it('writes tree.nwk with ids and labels.tsv; readNamedTree finds the map and restores the names', () => {
    const dir = tmp();
    const tree = neighborJoining(matrixOf(MODELS));
    const file = path.join(dir, 'tree.nwk');
    expect(writeNewickFile(file, tree, 'safe')).toEqual([file, path.join(dir, 'labels.tsv')]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^\[&U\] /);
    expect(text).not.toMatch(/'/);
    const named = readNamedTree(file);
    expect(named.mappedBy).toBe(path.join(dir, 'labels.tsv'));
    expect(leafLabels(named.tree).sort()).toEqual([...MODELS].sort());
    expect(robinsonFoulds(named.tree, tree).rf).toBe(0);
    // A map that does not cover the tree is not applied on its own, and refused when named.
    const other = path.join(dir, 'other.nwk');
    fs.writeFileSync(other, '(a,b,(c,d));\n');
    expect(readNamedTree(other).mappedBy).toBeUndefined();
    expect(() => readNamedTree(other, path.join(dir, 'labels.tsv'))).toThrow(/no name for 4 leaves/);
  });
});

describe('PHYLIP and NEXUS', () => {
  it('PHYLIP keeps short safe labels and gives T ids (with a map) otherwise; both read back to the names', () => {
    expect(phylipIds(['a', 'b-1']).mapped).toBe(false);
    expect(phylipIds(['a_b']).ids).toEqual(['T1']);
    const dir = tmp();
    const m = matrixOf(MODELS);
    const written = writeMatrixFiles(dir, m, { nj: neighborJoining(m) });
    expect(written.map((f) => path.basename(f))).toEqual([
      'matrix.tsv',
      'matrix.phy',
      'matrix.nex',
      'matrix.labels.tsv',
    ]);
    expect(fs.readFileSync(path.join(dir, 'matrix.phy'), 'utf8').split('\n')[1]).toMatch(/^T1 {9}0 /);
    for (const f of ['matrix.tsv', 'matrix.phy', 'matrix.nex']) {
      const back = readDistanceMatrix(path.join(dir, f));
      expect(back.labels).toEqual(MODELS);
      expect(maxDifference(back, m)).toBe(0);
    }
  });

  it('reads the reference PHYLIP matrix through NEXUS unchanged', () => {
    const m = readPhylip(path.join(REF, 'alpaca38.phy'));
    const back = parseNexusDistances(formatNexus(m), 'x.nex');
    expect(back.labels).toEqual(m.labels);
    expect(maxDifference(back, m)).toBe(0);
  });

  it('reads NEXUS lower and upper triangles, with or without diagonal and labels', () => {
    const taxa = 'BEGIN TAXA; DIMENSIONS NTAX=3; TAXLABELS a b c; END;';
    const expected = [0, 1, 2, 1, 0, 3, 2, 3, 0];
    const cases = [
      'FORMAT TRIANGLE=LOWER DIAGONAL LABELS; MATRIX a 0 b 1 0 c 2 3 0;',
      'FORMAT TRIANGLE=LOWER NODIAGONAL; MATRIX a b 1 c 2 3;',
      'FORMAT TRIANGLE=UPPER NOLABELS; MATRIX 0 1 2 0 3 0;',
      '[default is lower with diagonal] MATRIX a 0 b 1 0 c [comment] 2 3 0;',
    ];
    for (const body of cases) {
      const m = parseNexusDistances(`#NEXUS\n${taxa}\nBEGIN DISTANCES; ${body} END;`, 'x.nex');
      expect(m.labels).toEqual(['a', 'b', 'c']);
      expect(Array.from(m.values)).toEqual(expected);
    }
    expect(() =>
      parseNexusDistances('#NEXUS\nBEGIN DISTANCES; DIMENSIONS NTAX=2; MATRIX a 0 b x 0; END;', 'x.nex'),
    ).toThrow(/x\.nex: row 2 \("b"\), column 1: "x" is not a number/);
    expect(() => parseNexusDistances('BEGIN DISTANCES;', 'x.nex')).toThrow(/does not start with #NEXUS/);
    expect(() =>
      parseNexusDistances('#NEXUS\nBEGIN DISTANCES; DIMENSIONS NTAX=2; FORMAT INTERLEAVE; END;', 'x.nex'),
    ).toThrow(/INTERLEAVE/);
  });
});

describe('the one matrix check', () => {
  const m = (values: number[], labels = ['a', 'b']) => ({
    labels,
    values: Float64Array.from(values),
    signal: 's',
    metric: 'm',
  });
  it.each([
    [m([0, 1, 1, 0], ['a', 'a']), /label "a" appears twice/],
    [m([0, 1, 1]), /3 values for 2 labels/],
    [m([0, Number.NaN, Number.NaN, 0]), /distance a x b is NaN; every distance must be a finite number/],
    [m([0, -1, -1, 0]), /distance a x b is -1; distances cannot be negative/],
    [m([0.5, 1, 1, 0]), /distance a x a is 0.5; the distance of a model to itself must be 0/],
    [m([0, 1, 2, 0]), /not symmetric: row "a" has 1 for "b" but row "b" has 2/],
    [m([], []), /empty/],
  ])('refuses %#', (matrix, what) => {
    expect(() => checkDistanceMatrix(matrix, 'src')).toThrow(MatrixError);
    expect(() => checkDistanceMatrix(matrix, 'src')).toThrow(what);
  });

  it('accepts rounding: 1e-17 off the diagonal or asymmetric by one part in 1e12', () => {
    expect(checkDistanceMatrix(m([1e-17, 1, 1 + 1e-12, -1e-17]), 'src')).toBe(2);
  });

  it('is what every builder and reader uses', async () => {
    const { bionj, upgma, balancedMinimumEvolution } = await import('../../src/phylo/index.js');
    const neg = m([0, -1, 1, -1, 0, 1, 1, 1, 0], ['a', 'b', 'c']);
    for (const build of [neighborJoining, bionj, upgma, balancedMinimumEvolution])
      expect(() => build(neg)).toThrow(MatrixError);
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'neg.phy'), '2\na 0 -1\nb -1 0\n');
    expect(() => readDistanceMatrix(path.join(dir, 'neg.phy'))).toThrow(MatrixError);
  });
});

describe('phylo tree --matrix, compare and score with labels.tsv', () => {
  it('builds the reference NJ tree from a PHYLIP file and writes every format', async () => {
    const out = tmp();
    const r = await runCli(['tree', '--matrix', path.join(REF, 'alpaca38.phy'), '--out', out, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ method: 'nj', models: 38 });
    for (const f of ['tree.nwk', 'matrix.tsv', 'matrix.phy', 'matrix.nex', 'summary.json'])
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    const ours = readNewickFile(path.join(out, 'tree.nwk'));
    expect(robinsonFoulds(ours, readNewickFile(path.join(REF, 'alpaca38.nj.nwk'))).rf).toBe(0);
    // The NEXUS copy builds the same tree.
    const again = tmp();
    const r2 = await runCli(['tree', '--matrix', path.join(out, 'matrix.nex'), '--out', again, '--method', 'nj']);
    expect(r2.code).toBe(0);
    expect(robinsonFoulds(readNewickFile(path.join(again, 'tree.nwk')), ours).rf).toBe(0);
  });

  it('refuses a run name and --matrix together, and neither', async () => {
    expect((await runCli(['tree'])).err).toMatch(/give a run name .* or --matrix FILE/);
    const both = await runCli(['tree', 'x', '--matrix', path.join(REF, 'five.phy')]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/not both/);
  });

  it('compare and score map safe ids back through labels.tsv', async () => {
    const out = tmp();
    const tsv = path.join(REF, 'alpaca-dev-tfidf.tsv');
    const r = await runCli(['tree', '--matrix', tsv, '--out', out, '--labels', 'safe', '--json']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'labels.tsv'))).toBe(true);
    const quoted = tmp();
    expect((await runCli(['tree', '--matrix', tsv, '--out', quoted])).code).toBe(0);
    const cmp = await runCli(['compare', path.join(out, 'tree.nwk'), path.join(quoted, 'tree.nwk'), '--json']);
    expect(cmp.code).toBe(0);
    expect(cmp.err).toContain('labels mapped back through');
    expect(JSON.parse(cmp.out).rf).toBe(0);
    const families = path.join(ALPACA, 'FAMILIES.tsv');
    const safe = await runCli(['score', path.join(out, 'tree.nwk'), '--labels', families, '--json']);
    const plain = await runCli(['score', path.join(quoted, 'tree.nwk'), '--labels', families, '--json']);
    expect(safe.code).toBe(0);
    expect(JSON.parse(safe.out).clades).toEqual(JSON.parse(plain.out).clades);
    expect(parseNewick(fs.readFileSync(path.join(out, 'tree.nwk'), 'utf8')).rooted).toBe(false);
  });
});
