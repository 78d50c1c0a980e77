// The logprob-gene suite: windows of held-out text drawn deterministically, and the shipped probes/lab-positions.yaml
// is exactly what the generator makes from the corpora's held-out splits.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DATASET_IDS, loadDataset, type DatasetId } from '../../src/lab/corpora.js';
import { DEFAULT_POSITION_SUITE, positionSuiteYaml, positionWindows } from '../../src/lab/experiment/position-suite.js';
import {
  GENE_CUT,
  positionGeneSuite,
  positionLogprobSuite,
  TEXT_GENES,
  textGeneSuite,
} from '../../src/lab/experiment/position-runs.js';
import { decode } from '../../src/lab/tokenizer.js';
import { loadSuite, parseSuite } from '../../src/probes/load.js';

const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => `w${(i * 7919 + seed) % 1000}`).join(' ');

describe('positionWindows', () => {
  const heldOut = new Map<DatasetId, string>([
    ['moby-dick', `${words(400, 1)}\n\n${words(400, 2)}`],
    ['spam', words(800, 3)],
  ]);
  const o = { windowsPerDataset: 10, windowBytes: 24, stride: 8, seed: 5 };

  it('draws the same windows for the same seed: whole words first, no paragraph break, no overlap', () => {
    const a = positionWindows(heldOut, o);
    expect(positionWindows(heldOut, o)).toEqual(a);
    expect(positionWindows(heldOut, { ...o, seed: 6 })).not.toEqual(a);
    expect(a.filter((w) => w.dataset === 'moby-dick')).toHaveLength(10);
    expect(a.filter((w) => w.dataset === 'spam')).toHaveLength(10);
    for (const w of a) {
      const text = heldOut.get(w.dataset)!;
      const at = text.indexOf(w.text);
      expect(at).toBeGreaterThan(-1);
      expect(at === 0 || /\s/.test(text[at - 1]!)).toBe(true);
      expect(w.text).toHaveLength(24);
      expect(w.text).not.toContain('\n\n');
    }
  });

  it('writes a suite the loader accepts: one probe per cut, tagged by window', () => {
    const windows = positionWindows(heldOut, o);
    const suite = parseSuite(positionSuiteYaml(windows, o), 'positions.yaml');
    expect(suite.probes).toHaveLength(20 * 3);
    const first = suite.probes.slice(0, 3);
    expect(first.map((p) => String(p.id))).toEqual(['pos-moby-dick-0:8', 'pos-moby-dick-0:16', 'pos-moby-dick-0:24']);
    for (const p of first) {
      expect(p.tags).toContain('window-moby-dick-0');
      expect(p.prompt.kind === 'prefix' && windows[0]!.text.startsWith(p.prompt.prefix)).toBe(true);
    }
  });
});

describe('probes/lab-positions.yaml', () => {
  it('is the generator output on the held-out splits, and the experiment pools take the documented sizes', async () => {
    const heldOut = new Map<DatasetId, string>();
    for (const id of DATASET_IDS) heldOut.set(id, decode((await loadDataset(id, 128)).heldOut));
    const shipped = await readFile(new URL('../../probes/lab-positions.yaml', import.meta.url), 'utf8');
    expect(shipped).toBe(positionSuiteYaml(positionWindows(heldOut)));
    const suite = loadSuite('lab-positions');
    expect(suite.probes).toHaveLength(6 * DEFAULT_POSITION_SUITE.windowsPerDataset * 5);
    expect(positionLogprobSuite(suite).probes).toHaveLength(990);
    const genes = positionGeneSuite(suite);
    expect(genes.probes).toHaveLength(102);
    for (const g of genes.probes) expect(g.prompt.kind === 'prefix' && g.prompt.prefix.length).toBe(GENE_CUT);
    // The text genes: every cut of the design's windows, asked at its temperature for its bytes, within 1,000 queries.
    const text = textGeneSuite(suite);
    expect(text.probes).toHaveLength(6 * TEXT_GENES.windows * TEXT_GENES.cuts.length);
    expect(text.probes.length * TEXT_GENES.samples).toBeLessThanOrEqual(1000);
    expect(text.defaults.samples).toBe(TEXT_GENES.samples);
    expect(text.defaults.sampling.temperature).toBe(TEXT_GENES.temperature);
    expect(text.defaults.sampling.maxTokens).toBe(TEXT_GENES.bytes);
    const logprobIds = new Set(positionLogprobSuite(suite).probes.map((p) => String(p.id)));
    for (const g of text.probes) expect(logprobIds.has(String(g.id))).toBe(true);
  }, 60_000);
});
