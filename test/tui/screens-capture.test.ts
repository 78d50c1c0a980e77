// Plain-text captures of every screen from a real session against the lab zoo, for docs/screens/. Runs only when
// PHYLO_SCREENS_DIR is set:  PHYLO_SCREENS_DIR=docs/screens npx vitest run test/tui/screens-capture.test.ts
// Two runs of the zoo on the lab suite (style prefixes and PhyloLM genes), the second at a lower temperature, so the
// compare screen has data too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasTmux, TmuxSession } from './tmux.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MODELS = ['lab:base', 'lab:early', 'lab:moby', 'lab:moby-middle', 'lab:spam', 'lab:spam-modern'];
const SCREENS = process.env.PHYLO_SCREENS_DIR ? path.resolve(REPO, process.env.PHYLO_SCREENS_DIR) : undefined;

describe.runIf(SCREENS !== undefined && hasTmux())('screen captures (lab zoo)', () => {
  let tmp: string;
  let session: TmuxSession;
  const save = (name: string, screen: string) => {
    fs.writeFileSync(path.join(SCREENS!, `${name}.txt`), screen.replace(/[ \t]+$/gm, '').replace(/\n+$/, '\n'));
  };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-screens-'));
    fs.mkdirSync(SCREENS!, { recursive: true });
    session = new TmuxSession('screens', 120, 40);
    session.start(`${path.join(REPO, 'node_modules/.bin/tsx')} src/cli.ts`, REPO, {
      NO_COLOR: '1',
      TERM: 'xterm-256color',
      PHYLO_RESULTS: path.join(tmp, 'results'),
      OPENAI_API_KEY: '',
      ANTHROPIC_API_KEY: '',
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmp,
    });
  });

  afterAll(() => {
    session?.kill();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function labRun(first: boolean): Promise<void> {
    session.type('n');
    await session.waitFor((s) => s.includes('filter:'), 'the model list');
    if (first) {
      // Six zoo models by id (typed, then tab), to keep two runs within minutes on a shared machine.
      for (const [i, id] of MODELS.entries()) {
        session.type(id);
        await session.waitFor((s) => s.includes(`filter: ${id}`), `the id ${id}`);
        session.keys('Tab');
        await session.waitFor((s) => s.includes(`${i + 1} selected`), `${id} selected`);
      }
      session.type('lab:');
      await session.waitFor((s) => s.includes('filter: lab:'), 'the lab filter');
      save('new-run-models', session.capture());
      session.keys('Escape');
      await session.waitFor((s) => /filter:\s+6 selected/.test(s), 'the cleared filter');
    }
    session.keys('Enter');
    await session.waitFor((s) => s.includes('2. suite ◂'), 'the suites');
    // The lab suite: raw prefixes in the voices of the zoo's corpora, and genes.
    for (let i = 0; i < 8 && !/› lab /.test(session.capture()); i++) {
      session.keys('Down');
      await new Promise((r) => setTimeout(r, 300));
    }
    const suite = await session.waitFor(
      (s) => /› lab /.test(s) && s.includes('estimate:'),
      'the lab suite and its estimate',
    );
    if (first) save('new-run-suite', suite);
    session.keys('Enter');
    await session.waitFor((s) => s.includes('samples per probe'), 'the settings');
    if (!first) {
      session.keys('Down');
      session.keys('Left');
      session.keys('Left');
    }
    if (first) save('new-run-settings', session.capture());
    session.keys('Enter');
    const confirm = await session.waitFor((s) => s.includes('press enter to start'), 'the confirmation');
    if (first) save('new-run-confirm', confirm);
    session.keys('Enter');
    await session.waitFor((s) => s.includes('RUNNING'), 'the run screen', 60_000);
    if (first) {
      await session.waitFor(
        (s) => /RUNNING\s+\d+\/\d+ samples/.test(s) && !/RUNNING\s+0\//.test(s),
        'some progress',
        120_000,
      );
      save('run-progress', session.capture());
    }
    const finished = await session.waitFor((s) => s.includes('FINISHED'), 'the run to finish', 1_200_000);
    if (first) save('run-finished', finished);
  }

  it('captures home, new run, run, results, help and compare', { timeout: 3_000_000 }, async () => {
    save(
      'home-empty',
      await session.waitFor((s) => /lab\s+ready/.test(s) && s.includes('Recent runs'), 'home', 90_000),
    );
    await labRun(true);
    session.keys('Enter');
    save('results-tree', await session.waitFor((s) => s.includes('1 tree') && /[┌└]─/.test(s), 'the tree', 300_000));
    session.type('s');
    save('results-tree-traits', await session.waitFor((s) => s.includes('signal traits'), 'the traits tree', 120_000));
    session.type('s');
    save(
      'results-tree-alleles',
      await session.waitFor((s) => s.includes('signal alleles'), 'the alleles tree', 120_000),
    );
    session.type('2');
    save(
      'results-heatmap',
      await session.waitFor((s) => s.includes(' near ') && s.includes('alleles/'), 'the heatmap'),
    );
    session.type('3');
    save('results-map', await session.waitFor((s) => s.includes('of the alleles distances'), 'the map'));
    session.type('4');
    save('results-traits', await session.waitFor((s) => /model[↑↓]/.test(s), 'the trait table'));
    session.type('5');
    save('results-evidence', await session.waitFor((s) => s.includes('probe 1/'), 'the evidence'));
    session.type('e');
    await session.waitFor((s) => s.includes('export: n Newick'), 'the export prompt');
    session.type('n');
    save('results-export', await session.waitFor((s) => s.includes('exported newick to'), 'the export'));
    session.type('?');
    save('help-results', await session.waitFor((s) => s.includes('Keys: results'), 'the help'));
    session.type('?');
    await session.waitFor((s) => s.includes('1 tree'), 'the results again');
    session.keys('Escape');
    await session.waitFor((s) => s.includes('Recent runs (1)'), 'home with one run');
    // The second run: same models at temperature 0.8 (a stand-in for "the same endpoints a month later").
    await new Promise((r) => setTimeout(r, 1100));
    await labRun(false);
    session.keys('Escape');
    save('home-runs', await session.waitFor((s) => s.includes('Recent runs (2)'), 'home with two runs'));
    // One key at a time: a burst can reach the app as one read.
    session.keys('Space');
    await session.waitFor((s) => s.includes('marked:'), 'the first mark');
    session.keys('Down');
    await session.waitFor((s) => /› \[ \]/.test(s), 'the cursor on the second run');
    session.keys('Space');
    await session.waitFor((s) => (s.match(/\[x\]/g) ?? []).length === 2, 'the second mark');
    session.type('c');
    save('compare', await session.waitFor((s) => s.includes('Robinson-Foulds'), 'the comparison', 300_000));
    session.keys('Escape');
    await session.waitFor((s) => s.includes('Recent runs (2)'), 'home again');
    session.type('q');
    expect(session.exited(await session.waitFor((s) => session.exited(s) !== undefined, 'the exit'))).toBe(0);
    expect(fs.readdirSync(SCREENS!).length).toBeGreaterThanOrEqual(15);
  });
});
