// A results folder assembled from symbolic links to model folders (a common way to pick a subset of AlpacaEval's
// results) imports like the folders themselves; a broken link is skipped, not a crash.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ALPACA_FILE, alpacaModelFolders, importAlpacaEval } from '../../src/store/import-alpaca-eval.js';
import { openStore } from '../../src/store/sqlite.js';
import { tempDir } from '../collect/fakes.js';
import { runCli } from '../helpers/run-cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.resolve(here, '../../../shared/data/alpaca_eval');
const picked = fs
  .readdirSync(DATA)
  .filter((f) => fs.existsSync(path.join(DATA, f, ALPACA_FILE)))
  .sort()
  .slice(0, 3);

describe('import alpaca-eval through symbolic links', () => {
  const links = tempDir('phylo-alpaca-links-');
  for (const f of picked) fs.symlinkSync(path.join(DATA, f), path.join(links, f), 'dir');
  fs.symlinkSync(path.join(links, 'no-such-folder'), path.join(links, 'broken'), 'dir');
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of [links, ...dirs]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('finds every linked model folder and skips the broken link', () => {
    expect(picked.length).toBe(3);
    expect(alpacaModelFolders(links)).toEqual(picked);
  });

  it('imports the linked folders with the same samples as the real ones', () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = openStore(dir);
    try {
      const report = importAlpacaEval(store, links, { name: 'linked' });
      expect(report.models).toBe(3);
      const direct = picked.map(
        (f) => (JSON.parse(fs.readFileSync(path.join(DATA, f, ALPACA_FILE), 'utf8')) as unknown[]).length,
      );
      expect(report.samples).toBe(direct.reduce((a, b) => a + b, 0));
    } finally {
      store.close();
    }
  });

  it('works through the CLI', async () => {
    const results = tempDir();
    dirs.push(results);
    const out = await runCli(['import', 'alpaca-eval', links, '--name', 'l', '--results', results, '--json']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.out)).toMatchObject({ run: 'l', models: 3 });
  });
});
