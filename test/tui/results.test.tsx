import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { ResultsScreen } from '../../src/tui/screens/results.js';
import { sortTraitRows } from '../../src/tui/results-view.js';
import type { Exported } from '../../src/tui/backend.js';
import { fakeResults, MODELS } from './fixtures.js';
import { KEYS, tick } from './helpers.js';

afterEach(cleanup);

function setup(data = fakeResults('demo')) {
  const exports: { name: string; format: string; text: string }[] = [];
  const onExport = vi.fn(async (name: string, format: Exported['format'], text: string) => {
    exports.push({ name, format, text });
    return { file: `/tmp/results/exports/${name}.${format}`, format };
  });
  const onBack = vi.fn();
  const ui = render(<ResultsScreen width={110} height={34} data={data} active onExport={onExport} onBack={onBack} />);
  return { ui, exports, onBack };
}

async function press(ui: ReturnType<typeof render>, ...keys: string[]) {
  for (const k of keys) {
    ui.stdin.write(k);
    await tick();
  }
}

describe('sortTraitRows', () => {
  it('sorts by a trait in either direction and by name', () => {
    const t = fakeResults('x').traits;
    expect(sortTraitRows(t, 1, true).map((r) => r.model)).toEqual([...MODELS].reverse());
    expect(sortTraitRows(t, 3, false).map((r) => r.model)).toEqual([...MODELS].reverse());
    expect(sortTraitRows(t, 0, false)[0]!.model).toBe('lab:base');
  });
});

describe('ResultsScreen', () => {
  it('draws the tree tab with every model, the signal, method and rooting', () => {
    const { ui } = setup();
    const frame = ui.lastFrame()!;
    expect(frame).toContain('1 tree');
    expect(frame).toContain('signal embed (cosine) · nj · midpoint');
    for (const m of MODELS) expect(frame).toContain(m);
    expect(frame).toMatch(/[┌└├│─]/);
  });

  it('switches signal, method and rooting with one key each', async () => {
    const { ui } = setup();
    await press(ui, 's');
    expect(ui.lastFrame()).toContain('signal traits (std-euclidean)');
    await press(ui, 'm');
    expect(ui.lastFrame()).toContain('· bionj ·');
    await press(ui, 'r');
    expect(ui.lastFrame()).toContain('outgroup lab:base');
    await press(ui, 'o');
    expect(ui.lastFrame()).toContain('outgroup lab:sotu-1900s');
    await press(ui, 'r');
    expect(ui.lastFrame()).toContain('· unrooted');
  });

  it('shows the heatmap in tree order with a scale, and the model map with every marker', async () => {
    const { ui } = setup();
    await press(ui, '2');
    const heat = ui.lastFrame()!;
    expect(heat).toContain('embed/cosine  near');
    expect(heat).toContain('(2.000 .. 5.000)');
    // The two members of each clade are adjacent rows.
    const rows = MODELS.map((m) => heat.split('\n').findIndex((l) => l.includes(` ${m} `) || l.endsWith(m)));
    expect(Math.abs(rows[1]! - rows[2]!)).toBe(1);
    expect(Math.abs(rows[3]! - rows[4]!)).toBe(1);
    await press(ui, KEYS.right);
    const map = ui.lastFrame()!;
    expect(map).toContain('UMAP of the embed distances');
    for (const m of MODELS) expect(map).toContain(m);
  });

  it('sorts the trait table by the chosen column', async () => {
    const { ui } = setup();
    await press(ui, '4');
    expect(ui.lastFrame()).toMatch(/model↑/);
    await press(ui, ']', 'd');
    const frame = ui.lastFrame()!;
    expect(frame).toMatch(/length↓/);
    const order = MODELS.map((m) => frame.indexOf(m));
    // Descending length: the last model (longest answers) comes first.
    expect(order[4]).toBeLessThan(order[0]!);
  });

  it('puts responses side by side with control sequences removed, and cycles samples', async () => {
    const evil = 'Hi\u001b]0;pwned\u0007 there \u001b[31mRED\u001b[0m end';
    const { ui } = setup(fakeResults('demo', { responses: { 'lab:base': evil } }));
    await press(ui, '5');
    const frame = ui.lastFrame()!;
    expect(frame).toContain('probe 1/2: greeting');
    expect(frame).toContain('> Say hello.');
    expect(frame).toContain('Hi there RED end');
    expect(frame).not.toContain('\u001b]0;');
    expect(frame).not.toContain('pwned');
    expect(frame).toContain('(1/2)');
    await press(ui, 'n');
    expect(ui.lastFrame()).toContain('lab:base second sample');
    await press(ui, KEYS.down);
    expect(ui.lastFrame()).toContain('probe 2/2: identity');
  });

  it('exports Newick, TSV and JSON of what is shown', async () => {
    const { ui, exports } = setup();
    await press(ui, 'e', 'n');
    expect(ui.lastFrame()).toContain('exported newick to /tmp/results/exports/demo.embed.nj.newick');
    await press(ui, 'e', 't', 'e', 'j');
    expect(exports.map((e) => e.format)).toEqual(['newick', 'tsv', 'json']);
    expect(exports[0]!.text.trim().endsWith(';')).toBe(true);
    for (const m of MODELS) expect(exports[0]!.text).toContain(m);
    expect(exports[1]!.text.split('\n')[0]!.split('\t').slice(1)).toEqual(MODELS);
    const json = JSON.parse(exports[2]!.text);
    expect(json).toMatchObject({ run: 'demo', signal: 'embed', method: 'nj', tab: 'tree' });
    expect(json.matrix.labels).toEqual(MODELS);
  });

  it('reads a burst of keys against the state each key leaves: tab, sort key and direction', async () => {
    const { ui } = setup();
    for (const k of ['4', ']', 'd']) ui.stdin.write(k);
    await tick();
    expect(ui.lastFrame()).toMatch(/length↓/);
  });

  it('goes home with escape', async () => {
    const { ui, onBack } = setup();
    await press(ui, KEYS.escape);
    expect(onBack).toHaveBeenCalled();
  });
});
