// `phylo report` on the real AlpacaEval run (38 models x 805 probes, ../shared/data/alpaca_eval): one file under
// 5 MB that references nothing outside itself, names every model, carries at least three SVG figures; in headless
// Chromium every model is a leaf of the tree, the heatmap has every cell, nothing is logged as an error, and the
// screenshot is 1280x800. With PHYLO_SCREENS_DIR set it is saved there (docs/ holds the README's copy), so a test run
// leaves the working tree as it found it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../collect/fakes.js';
import { runCli } from '../helpers/run-cli.js';
import { alpacaEvalDir } from '../analysis/alpaca-fixture.js';
import { findChromium, launchChromium } from './chromium.js';
import { expectInertPage, expectSelfContained } from './page-checks.js';

const DATA = alpacaEvalDir();
const chromium = findChromium();
const skipNote = 'skip' in chromium ? ` (${chromium.skip})` : '';
const SCREENS_DIR = process.env.PHYLO_SCREENS_DIR;

describe.skipIf(!DATA)('phylo report on the AlpacaEval run', () => {
  let dir: string;
  let out: string;
  let html: string;
  let models: string[];

  beforeAll(async () => {
    dir = tempDir('phylo-report-alpaca-');
    const results = path.join(dir, 'results');
    const imported = await runCli(['import', 'alpaca-eval', DATA!, '--name', 'alpaca', '--results', results]);
    expect(imported.code, imported.err).toBe(0);
    models = fs
      .readdirSync(DATA!, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `replay:${e.name}`);
    out = path.join(dir, 'report', 'alpaca.html');
    const labels = path.join(DATA!, 'FAMILIES.tsv');
    const r = await runCli(['report', 'alpaca', '--labels', labels, '--out', out, '--results', results]);
    expect(r.code, r.err).toBe(0);
    html = fs.readFileSync(out, 'utf8');
  }, 900_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is one self-contained file under 5 MB with every model and at least three SVG figures', () => {
    expect(models).toHaveLength(38);
    const files = fs.readdirSync(path.dirname(out));
    expect(files.filter((f) => f.endsWith('.html'))).toEqual(['alpaca.html']);
    expect(files.filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(3);
    expect(Buffer.byteLength(html)).toBeLessThan(5 * 1024 * 1024);
    expectSelfContained(html);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*https?:/i);
    expect(html).not.toMatch(/url\(\s*["']?\s*https?:/i);
    for (const m of models) expect(html, m).toContain(m);
    expect(html.match(/<svg[\s>]/g)!.length).toBeGreaterThanOrEqual(3);
    // Coloured by the families of --labels: all 14 of more than one model are in the legend.
    expect(html).toContain('tips coloured by family (--labels)');
    for (const family of ['gpt-4', 'claude-3', 'llama-2-chat', 'tulu-2', 'qwen-1.5'])
      expect(html).toContain(`>${family}<`);
  });

  it.skipIf('skip' in chromium)(
    `renders in headless Chromium: every leaf, every heatmap cell, no error; a 1280x800 screenshot${skipNote}`,
    async () => {
      const browser = await launchChromium((chromium as { path: string }).path);
      try {
        await browser.open(out);
        await expectInertPage(browser, 'phylo report: alpaca');
        const leaves = await browser.evaluate<string[]>(
          `[...document.querySelector('svg.phylogram').querySelectorAll('text.tip-label')].map((t) => t.textContent)`,
        );
        expect([...leaves].sort()).toEqual([...models].sort());
        const cells = await browser.evaluate<number>(
          `document.querySelectorAll('svg[data-figure="heatmap-embed"] path[aria-roledescription="rect mark"]').length`,
        );
        expect(cells).toBe(38 * 38);
        const points = await browser.evaluate<number>(
          `document.querySelectorAll('svg[data-figure="map-embed"] path[aria-roledescription="circle"]').length`,
        );
        expect(points).toBe(38);
        // Every figure has a size on screen (drawn, not collapsed).
        const sizes = await browser.evaluate<number[]>(
          `[...document.querySelectorAll('figure > svg')].map((s) => s.getBoundingClientRect().width)`,
        );
        expect(sizes.length).toBeGreaterThanOrEqual(4);
        expect(sizes.every((w) => w > 300)).toBe(true);
        const png = await browser.screenshot();
        expect(png.readUInt32BE(16)).toBe(1280);
        expect(png.readUInt32BE(20)).toBe(800);
        if (SCREENS_DIR) {
          fs.mkdirSync(SCREENS_DIR, { recursive: true });
          fs.writeFileSync(path.join(SCREENS_DIR, 'report.png'), png);
        }
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
