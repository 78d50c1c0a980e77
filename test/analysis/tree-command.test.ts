// `phylo tree RUN` end to end on a temporary store: files written, JSON on stdout, bad input exits 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNewick, leafLabels } from '../../src/phylo/index.js';
import { readMatrixTsv } from '../../src/distance/matrix-io.js';
import { openStore } from '../../src/store/sqlite.js';
import { runCli } from '../helpers/run-cli.js';
import { separableRun, CLANS } from './synthetic.js';

let results: string;

beforeAll(() => {
  results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-tree-cmd-'));
  const data = separableRun(30, 1);
  const store = openStore(results);
  store.createRun({
    name: data.run.name,
    suite: data.run.suite,
    models: data.run.models,
    samples: 1,
    origin: 'test',
    status: 'finished',
  });
  store.writeBatch(data.samples);
  store.close();
});

afterAll(() => fs.rmSync(results, { recursive: true, force: true }));

describe('phylo tree', () => {
  it('writes tree.nwk, matrix.tsv and summary.json and prints the summary as JSON', async () => {
    const out = path.join(results, 'out');
    const r = await runCli([
      'tree',
      'test',
      '--results',
      results,
      '--bootstrap',
      '10',
      '--seed',
      '4',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({
      run: 'test',
      signal: 'embed',
      method: 'upgma',
      bootstrap: 10,
      seed: 4,
      models: 6,
      probes: 30,
    });
    const tree = parseNewick(fs.readFileSync(path.join(out, 'tree.nwk'), 'utf8'));
    expect(leafLabels(tree).sort()).toEqual([...CLANS.A, ...CLANS.B].sort());
    expect(readMatrixTsv(path.join(out, 'matrix.tsv')).labels).toEqual([...CLANS.A, ...CLANS.B]);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).newick).toBe(summary.newick);
    expect(r.err).toMatch(/bootstrap: 10 replicates/);
  });

  it('draws the tree by default into RESULTS/<run>/tree-<signal>-<method>/', async () => {
    const r = await runCli([
      'tree',
      'test',
      '--results',
      results,
      '--signal',
      'traits',
      '--method',
      'bionj',
      '--bootstrap',
      '5',
      '--width',
      '70',
    ]);
    expect(r.code).toBe(0);
    for (const label of [...CLANS.A, ...CLANS.B]) expect(r.out).toContain(label);
    expect(fs.existsSync(path.join(results, 'test', 'tree-traits-bionj', 'tree.nwk'))).toBe(true);
  });

  it('exits 2 with one line on bad input', async () => {
    for (const args of [
      ['tree', 'test', '--results', results, '--signal', 'vibes'],
      ['tree', 'test', '--results', results, '--method', 'parsimony'],
      ['tree', 'test', '--results', results, '--signal', 'alleles'],
      ['tree', 'nope', '--results', results],
      ['tree', 'test', '--results', results, '--bootstrap', '-3'],
    ]) {
      const r = await runCli(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.err.trim().split('\n').at(-1)).toMatch(/^phylo: /);
    }
  });
});
