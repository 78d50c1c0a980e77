import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../../src/commands/genotype.js';
import { InputError } from '../../src/core/errors.js';
import { parseMatrixTsv, readDistanceMatrix } from '../../src/distance/matrix-io.js';
import { parseNewick, robinsonFoulds } from '../../src/phylo/index.js';
import { captureOutput } from '../helpers/run-cli.js';
import { writeZoo, type Zoo } from './lineage.js';

let dir: string;
let zoo: Zoo;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'phylo-cli-genotype-'));
  zoo = await writeZoo(path.join(dir, 'zoo'), 11);
  await writeFile(path.join(dir, 'truth.nwk'), zoo.newick);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run `phylo genotype ...` through commander with only this command registered; return what it printed. */
async function run(args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command('phylo').exitOverride();
  register(program);
  return captureOutput(() => program.parseAsync(['genotype', ...args], { from: 'user' }));
}

describe('phylo genotype', () => {
  const models = () => ['base', 'a1', 'a2', 'b1', 'b2'].map((n) => zoo.paths[n]!);

  it('prints models, the per-layer table ranked against a reference, the matrix and the tree', async () => {
    const { out } = await run([...models(), '--reference', path.join(dir, 'truth.nwk')]);
    expect(out).toMatch(/^model\s+format\s+tensors/m);
    expect(out).toMatch(/compared 31 tensors present in every model/);
    expect(out).toMatch(/layers ranked by agreement with .*truth\.nwk/);
    const tableLines = out.split('\n').filter((l) => /^(blk\.\d+|token_embd|position_embd|output_norm)\s/.test(l));
    expect(
      tableLines
        .slice(0, 2)
        .map((l) => l.split(/\s+/)[0])
        .sort(),
    ).toEqual(['blk.1', 'blk.2']);
    expect(out).toMatch(
      /genotype tree \(neighbor joining, support from 100 bootstrap replicates over tensors; midpoint-rooted for display\)/,
    );
    expect(out).toMatch(/[├└┌].*a1$/m);
    const newick = out.split('\n').find((l) => /^\[&[RU]\] \(/.test(l) && l.endsWith(';'))!;
    expect(robinsonFoulds(parseNewick(newick), parseNewick(zoo.newick)).rf).toBe(0);
  });

  it('--json and --out give the same tree and the files a user takes elsewhere', async () => {
    const outDir = path.join(dir, 'out');
    const { out, err } = await run([
      ...models(),
      '--json',
      '--metric',
      'cosine',
      '--out',
      outDir,
      '--reference',
      path.join(dir, 'truth.nwk'),
    ]);
    const json = JSON.parse(out) as {
      metric: string;
      method: string;
      bootstrap: number;
      tree: string;
      layers: { layer: string; rank: number; pearson: number | null }[];
      matrix: { labels: string[] };
    };
    expect(json.metric).toBe('cosine');
    expect([json.method, json.bootstrap]).toEqual(['nj', 100]);
    // Support values (bootstrap proportions) are written on the internal branches.
    expect(json.tree).toMatch(/\)(0\.\d+|1):/);
    expect(json.matrix.labels).toEqual(['base', 'a1', 'a2', 'b1', 'b2']);
    expect(robinsonFoulds(parseNewick(json.tree), parseNewick(zoo.newick)).rf).toBe(0);
    expect(json.layers.find((l) => l.layer === 'blk.0')!.pearson).toBeNull();
    expect(err).toMatch(/wrote genotype-matrix\.tsv/);
    const matrix = parseMatrixTsv(
      await readFile(path.join(outDir, 'genotype-matrix.tsv'), 'utf8'),
      'genotype-matrix.tsv',
    );
    expect(matrix.labels).toEqual(json.matrix.labels);
    expect(matrix.metric).toBe('cosine');
    // The same matrix in PHYLIP and NEXUS (with the tree) for other tools, read back to the same labels and values.
    for (const f of ['genotype-matrix.phy', 'genotype-matrix.nex']) {
      const other = readDistanceMatrix(path.join(outDir, f));
      expect(other.labels).toEqual(matrix.labels);
      expect(Array.from(other.values)).toEqual(Array.from(matrix.values));
    }
    expect(await readFile(path.join(outDir, 'genotype-matrix.nex'), 'utf8')).toMatch(
      /BEGIN TREES;\n {2}TREE nj = \[&U\] \(/,
    );
    expect((await readFile(path.join(outDir, 'genotype-tree.nwk'), 'utf8')).trim()).toBe(json.tree);
    const layers = (await readFile(path.join(outDir, 'genotype-layers.tsv'), 'utf8')).trim().split('\n');
    expect(layers[0]!.split('\t')).toContain('spearman');
    expect(layers.length).toBe(1 + json.layers.length);
    const tensors = (await readFile(path.join(outDir, 'genotype-tensors.tsv'), 'utf8')).trim().split('\n');
    expect(tensors.length).toBe(1 + 10 * 31);
    const alignment = await readFile(path.join(outDir, 'genotype-alignment.tsv'), 'utf8');
    expect(alignment).toMatch(
      /compared\tblk\.0\.attn_qkv\.weight\tblk\.0\t\[16,48\]\tbase=h\.0\.attn\.c_attn\.weight:F32 .*b2=blk\.0\.attn_qkv\.weight:F32/,
    );
  });

  it('--inspect lists tensors with canonical names, dtype, shape and size', async () => {
    const { out } = await run(['--inspect', zoo.paths.b2!]);
    expect(out).toMatch(/b2\.gguf: gguf, 1 file, 31 tensors/);
    expect(out).toMatch(/general\.architecture: gpt2/);
    expect(out).toMatch(/^blk\.1\.attn_qkv\.weight\s+blk\.1\.attn_qkv\.weight\s+F32\s+\[16, 48\]\s+768\s+3\.0 KiB$/m);
    const json = JSON.parse((await run(['--inspect', zoo.paths.a1!, '--json'])).out) as {
      tensors: { name: string; canonical: string }[];
    };
    expect(json.tensors.find((t) => t.name === 'h.0.mlp.c_fc.weight')!.canonical).toBe('blk.0.ffn_up.weight');
  });

  it('bad input is an InputError naming what to fix', async () => {
    await expect(run([zoo.paths.a1!])).rejects.toThrow(InputError);
    await expect(run([zoo.paths.a1!, path.join(dir, 'nope')])).rejects.toThrow(/nope: no such file or folder/);
    await expect(run([zoo.paths.a1!, zoo.paths.a2!, '--layers', '('])).rejects.toThrow(
      /--layers \(: not a valid regular expression/,
    );
    await expect(run([zoo.paths.a1!, zoo.paths.a2!, '--parent', 'zz'])).rejects.toThrow(
      /--parent zz: not one of the models compared/,
    );
    await expect(run([zoo.paths.a1!, zoo.paths.a2!, zoo.paths.b1!, '--outgroup', 'zz'])).rejects.toThrow(
      /--outgroup zz: not one of the models compared/,
    );
    await expect(run([zoo.paths.a1!, zoo.paths.a2!, '--bootstrap', '-3'])).rejects.toThrow(
      /--bootstrap -3: give a whole number/,
    );
    await expect(run([zoo.paths.a1!, zoo.paths.a2!, '--reference', path.join(dir, 'missing.nwk')])).rejects.toThrow(
      /--reference .*missing\.nwk: cannot read it/,
    );
  });
});
