// `phylo report` on a run whose model names, answers, prompts, family labels and audit results attack the page: the
// file stays self-contained and inert, and in real headless Chromium nothing runs and every attack shows as text.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeText, visibleText } from '../../src/report/escape.js';
import { tempDir } from '../collect/fakes.js';
import { runCli } from '../helpers/run-cli.js';
import { findChromium, launchChromium } from './chromium.js';
import {
  HOSTILE_COLUMN,
  HOSTILE_MODELS,
  MARKER,
  TERMINAL_NAME,
  writeHostileAudits,
  writeHostileJsonl,
  writeHostileLabels,
  writeHostileScores,
} from './hostile.js';
import { attributes, expectInertPage, expectSelfContained, references } from './page-checks.js';

const ZOO = ['base', 'early', 'moby', 'early-ham'].map((m) => `lab/zoo/${m}.safetensors`);
const chromium = findChromium();
const skipNote = 'skip' in chromium ? ` (${chromium.skip})` : '';
const refs = HOSTILE_MODELS.map((m) => `replay:${m}`);

describe('phylo report on a hostile run', () => {
  let dir: string;
  let results: string;
  let out: string;
  let html: string;
  let figures: string[];

  beforeAll(async () => {
    dir = tempDir('phylo-report-hostile-');
    results = path.join(dir, 'results');
    const imported = await runCli([
      'import',
      'jsonl',
      writeHostileJsonl(dir),
      '--name',
      'hostile',
      '--results',
      results,
    ]);
    expect(imported.code, imported.err).toBe(0);
    out = path.join(dir, 'out', 'hostile.html');
    const args = ['report', 'hostile', '--signal', 'embed', 'traits', '--labels', writeHostileLabels(dir)];
    args.push('--audit', ...writeHostileAudits(dir), '--genotype', ...ZOO);
    args.push('--scores', writeHostileScores(dir), '--column', HOSTILE_COLUMN);
    args.push('--bootstrap', '20', '--out', out, '--results', results, '--json');
    const r = await runCli(args);
    expect(r.code, r.err).toBe(0);
    const written = JSON.parse(r.out) as { file: string; figures: string[]; bytes: number };
    expect(written.file).toBe(out);
    html = fs.readFileSync(out, 'utf8');
    expect(written.bytes).toBe(Buffer.byteLength(html));
    figures = written.figures;
  }, 300_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a model name with terminal escapes never gets in: the import refuses it in one line, exit 2', async () => {
    const file = path.join(dir, 'terminal-name.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ model: TERMINAL_NAME, prompt: 'hi', text: 'hello' })}\n`);
    const r = await runCli(['import', 'jsonl', file, '--name', 'terminal', '--results', results]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toContain('\u001b');
  });

  it('writes one self-contained file with no markup from the run', () => {
    expectSelfContained(html);
    // Attacks are there as escaped text, never as markup; invisible characters are shown, not kept.
    expect(html).toContain(`evil&lt;script&gt;document.title=&#39;${MARKER}-1&#39;`);
    expect(html).toContain('img&lt;img src=x onerror=&quot;document.title');
    expect(html).toContain('&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;style');
    expect(html).toContain('cdata]]&gt;&lt;script&gt;');
    expect(html).toContain('gpt[U+202E]evil[U+202C]-4[U+2066]iso[U+2069]');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(html).toContain('[click me](javascript:document.title=');
    // The prediction section: the column name and every model name as text, the two without a score marked so.
    const prediction = html.slice(html.indexOf('<section id="prediction">'));
    expect(prediction).toContain(escapeText(HOSTILE_COLUMN));
    expect(prediction).not.toContain(HOSTILE_COLUMN);
    for (const ref of refs) expect(prediction).toContain(`<td class="model">${escapeText(ref)}</td>`);
    expect(prediction.match(/<tr class="unscored">/g)).toHaveLength(2);
    expect(prediction.match(/<tr class="held-out">/g)).toHaveLength(HOSTILE_MODELS.length - 2);
  });

  it('shows every section: summary, two signals, prediction, traits, genotype, audit verdicts, evidence', () => {
    const ids = ['summary', 'phenotype-embed', 'phenotype-traits', 'prediction', 'traits', 'genotype', 'audit'];
    for (const id of [...ids, 'evidence']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toMatch(/samples<\/dt><dd>64: 64 answered, 0 failed/);
    const latencies = HOSTILE_MODELS.flatMap((_, m) => [0, 1, 2, 3, 4, 5, 6, 7].map((p) => 100 + 10 * m + p));
    const p50 = latencies.sort((a, b) => a - b)[Math.ceil(0.5 * latencies.length) - 1];
    expect(html).toContain(`p50 ${p50} ms`);
    // Audit verdicts of the three shapes, with p-values.
    expect(html).toMatch(/&lt; 0.001<\/td>[\s\S]*different at level 0.05/);
    expect(html).toContain('no detectable change');
    expect(html).toContain('rank 1: consistent with the target');
    expect(html).toContain('consistent with replay:evil&lt;script&gt;');
    // Genotype weights are not models of this run: layers rank by separation, and the report says why.
    expect(html).toContain('layers ranked by separation');
    // Evidence: every probe (8), each with every model's answer.
    expect(html.match(/<details class="probe">/g)).toHaveLength(8);
    expect(html.match(/<div class="response">/g)).toHaveLength(8 * HOSTILE_MODELS.length);
  });

  it('writes every figure as a well-formed standalone .svg beside the page', () => {
    const names = figures.map((f) => path.basename(f)).sort();
    expect(names).toEqual(
      [
        'genotype-layers',
        'genotype-tree',
        'heatmap-embed',
        'heatmap-traits',
        'map-embed',
        'map-traits',
        'prediction',
        'traits',
        'tree-embed',
        'tree-traits',
      ].map((n) => `hostile-${n}.svg`),
    );
    for (const f of figures) {
      expect(path.dirname(f)).toBe(path.dirname(out));
      const svg = fs.readFileSync(f, 'utf8');
      expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
      expect(svg).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|<script/i);
      expect(attributes(svg).filter((a) => a.name.startsWith('on'))).toEqual([]);
      expect(references(svg).every((r) => r.startsWith('#'))).toBe(true);
    }
    const tree = fs.readFileSync(figures.find((f) => f.endsWith('tree-embed.svg'))!, 'utf8');
    for (const ref of refs) expect(tree).toContain(`>${escapeText(ref)}</text>`);
  });

  it('gives the same bytes for the same command', async () => {
    const again = path.join(dir, 'again', 'hostile.html');
    const args = ['report', 'hostile', '--signal', 'embed', 'traits', '--labels', path.join(dir, 'FAMILIES.tsv')];
    args.push('--audit', ...['equal', 'drift', 'identify'].map((n) => path.join(dir, `${n}.json`)));
    args.push('--scores', path.join(dir, 'SCORES.tsv'), '--column', HOSTILE_COLUMN);
    args.push('--genotype', ...ZOO, '--bootstrap', '20', '--out', again, '--results', results);
    const r = await runCli(args);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^wrote .*hostile\.html \(\d+ KB, 10 figures beside it\) in [\d.]+ s\n$/);
    expect(fs.readFileSync(again, 'utf8')).toBe(html);
  }, 300_000);

  it('refuses bad input in one line with exit code 2', async () => {
    const base = ['--results', results, '--out', path.join(dir, 'bad.html')];
    const notAudit = path.join(dir, 'not-audit.json');
    fs.writeFileSync(notAudit, '{"hello": 1}');
    const scores = path.join(dir, 'SCORES.tsv');
    const strangers = path.join(dir, 'strangers.tsv');
    fs.writeFileSync(strangers, 'model\tscore\nnot-a-model\t1\nanother\t2\nthird\t3\n');
    const twoScored = path.join(dir, 'two.tsv');
    fs.writeFileSync(twoScored, `model\tscore\n${HOSTILE_MODELS[0]}\t1\n${HOSTILE_MODELS[1]}\t2\n`);
    const cases: [string[], RegExp][] = [
      [['report', 'nope', ...base], /run "nope"|nope/],
      [['report', 'hostile', '--signal', 'colour', ...base], /--signal colour: use one of/],
      [['report', 'hostile', '--signal', 'alleles', ...base], /alleles needs probes sampled several times/],
      [['report', 'hostile', '--audit', notAudit, ...base], /--audit .*not-audit\.json: not a result of phylo audit/],
      [['report', 'hostile', '--labels', path.join(dir, 'none.tsv'), ...base], /labels .*none\.tsv: cannot read it/],
      [['report', 'hostile', '--genotype', ...ZOO.slice(0, 2), ...base], /--genotype: give at least 3 models/],
      [['report', 'hostile', '--evidence', '-1', ...base], /--evidence -1: give a whole number >= 0/],
      [['report', 'hostile', '--scores', scores, '--column', 'mmlu', ...base], /SCORES\.tsv: no column "mmlu"/],
      [['report', 'hostile', '--scores', path.join(dir, 'no.tsv'), '--column', 'x', ...base], /no\.tsv: cannot read/],
      [['report', 'hostile', '--scores', scores, ...base], /give --scores FILE\.tsv and --column NAME together/],
      [
        ['report', 'hostile', '--scores', strangers, '--column', 'score', ...base],
        /strangers\.tsv: no row with a score score names a model of run hostile/,
      ],
      [
        ['report', 'hostile', '--scores', twoScored, '--column', 'score', ...base],
        /two\.tsv: only 2 model\(s\) of run hostile have a score score; leave-one-out needs at least 3/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(
        r.err
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('phylo:')),
      ).toHaveLength(1);
    }
    expect(fs.existsSync(path.join(dir, 'bad.html'))).toBe(false);
  }, 300_000);

  it.skipIf('skip' in chromium)(
    `runs nothing and shows every attack as text in headless Chromium${skipNote}`,
    async () => {
      const browser = await launchChromium((chromium as { path: string }).path);
      try {
        await browser.open(out);
        await expectInertPage(browser, 'phylo report: hostile');
        expect(browser.console.map((e) => e.text).filter((t) => t.includes(MARKER))).toEqual([]);
        // The evidence is collapsed: open every probe, as a reader would, and read what is rendered.
        const text = await browser.evaluate<string>(
          `document.querySelectorAll('details').forEach((d) => { d.open = true; }), document.body.innerText`,
        );
        for (const ref of refs) expect(text).toContain(visibleText(ref));
        expect(text).toContain(`<script>document.title='${MARKER}-11';console.log('${MARKER}-11')</script>`);
        expect(text).not.toMatch(/[\u001b\u009b\u202a-\u202e\u2066-\u2069]/);
        // The prediction scatter has a point for each of the 6 scored models; its column name is shown as text.
        expect(text).toContain(`${HOSTILE_COLUMN} (from `);
        const points = await browser.evaluate<number>(
          `document.querySelectorAll('svg[data-figure="prediction"] path[aria-roledescription="circle"]').length`,
        );
        expect(points).toBe(HOSTILE_MODELS.length - 2);
        const leaves = await browser.evaluate<string[]>(
          `[...document.querySelectorAll('svg.phylogram text.tip-label')].map((t) => t.textContent)`,
        );
        // Two phenotype trees of the run's models, then the genotype tree of the four weight files.
        expect(leaves.slice(0, 2 * refs.length).sort()).toEqual([...refs, ...refs].map(visibleText).sort());
        expect(leaves.slice(2 * refs.length).sort()).toEqual(['base', 'early', 'early-ham', 'moby']);
        // Controls: the same payload as raw markup does run in this browser (so the checks above can fail), and
        // the report's policy alone would block it and say so on the console.
        const control = path.join(dir, 'control.html');
        const payload = `<img src=x onerror="document.title='${MARKER}-control';console.log('${MARKER}-control')">`;
        fs.writeFileSync(control, `<!doctype html><title>control</title>${payload}`);
        await browser.open(control);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await browser.evaluate<string>('document.title')).toBe(`${MARKER}-control`);
        expect(browser.console.map((e) => e.text)).toContain(`${MARKER}-control`);
        const csp = html.match(/<meta http-equiv="Content-Security-Policy"[^>]*>/)![0];
        fs.writeFileSync(control, `<!doctype html><head>${csp}<title>control</title></head>${payload}`);
        await browser.open(control);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await browser.evaluate<string>('document.title')).toBe('control');
        expect(browser.console.some((e) => e.level === 'error' && /Content Security Policy/i.test(e.text))).toBe(true);
        // The standalone figures are well-formed SVG documents that run nothing either.
        for (const f of figures) {
          await browser.open(f);
          const root = await browser.evaluate<string>(
            `document.documentElement.tagName + (document.querySelector('parsererror') ? ' parsererror' : '')`,
          );
          expect(root, f).toBe('svg');
          expect(
            browser.console.filter((e) => e.level === 'error' || e.text.includes(MARKER)),
            f,
          ).toEqual([]);
        }
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
