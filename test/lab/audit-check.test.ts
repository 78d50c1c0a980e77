// The lab audit check: quantized substitutes, the design (relatives from the truth tree, nested budgets, seeds),
// seeded collection (the same texts on any thread), and the command's JSON (fields, sane values, reproducible).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/lab/checkpoint.js';
import { sampleSeed } from '../../src/lab/decode.js';
import { createLabProvider } from '../../src/lab/provider.js';
import { quantizationError, quantizeModel } from '../../src/lab/quantize.js';
import { collectAll } from '../../src/lab/audit-check/collect.js';
import { designCheck, genesOf, queryAt, relativesOf, type CollectionSpec } from '../../src/lab/audit-check/design.js';
import { parseNewick } from '../../src/phylo/newick.js';
import { loadSuite } from '../../src/probes/load.js';
import { runCli } from '../helpers/run-cli.js';

const zooDir = 'lab/zoo';
const truth = parseNewick(readFileSync(`${zooDir}/truth.nwk`, 'utf8'));
const suite = loadSuite('lab');
const genes = genesOf(suite.probes, suite.defaults.sampling);

describe('quantized substitutes', () => {
  it('round every weight matrix per output channel to 2^(bits-1)-1 levels and keep biases and norms', async () => {
    const { model } = await loadCheckpoint(`${zooDir}/moby-spam-early.safetensors`);
    const q4 = quantizeModel(model, 4);
    const q8 = quantizeModel(model, 8);
    const e4 = quantizationError(model, q4);
    const e8 = quantizationError(model, q8);
    expect(e8).toBeGreaterThan(0);
    expect(e4).toBeGreaterThan(8 * e8);
    expect(e4).toBeLessThan(0.3);
    const spec = (n: string) => model.layout.byName.get(n)!;
    for (const name of ['h.0.ln_1.weight', 'h.1.attn.c_attn.bias', 'ln_f.bias']) {
      const t = spec(name);
      expect(q4.params.subarray(t.offset, t.offset + t.size)).toEqual(
        model.params.subarray(t.offset, t.offset + t.size),
      );
    }
    // Conv1D [in, out]: a column is one output channel; its values are integer multiples of max|column| / 7.
    const t = spec('h.0.mlp.c_fc.weight');
    const [rows, cols] = [t.shape[0]!, t.shape[1]!];
    for (const c of [0, 17, cols - 1]) {
      const col = Array.from({ length: rows }, (_, r) => model.params[t.offset + r * cols + c]!);
      const scale = Math.max(...col.map(Math.abs)) / 7;
      const levels = new Set(
        Array.from({ length: rows }, (_, r) => Math.round(q4.params[t.offset + r * cols + c]! / scale)),
      );
      for (let r = 0; r < rows; r++)
        expect(q4.params[t.offset + r * cols + c]! / scale).toBeCloseTo(
          Math.round(q4.params[t.offset + r * cols + c]! / scale),
          4,
        );
      expect(Math.max(...[...levels].map(Math.abs))).toBe(7);
    }
    expect(model.params).not.toBe(q4.params);
  });
});

describe('audit-check design', () => {
  it('reads siblings and cousins from the truth tree', () => {
    const rel = relativesOf(truth);
    expect(rel.size).toBe(12);
    expect(rel.get('early-moby-spam')).toEqual({
      sibling: 'early-moby-ham',
      cousins: ['early-ham-middle', 'early-ham-modern'],
    });
    expect(rel.get('spam-modern-ham')?.sibling).toBe('spam-modern-moby');
  });

  it('pairs null collections disjointly, seeds every collection apart and nests the budgets', () => {
    const d = designCheck(genes, truth, { seed: 4, queries: 50, nullTests: 30, budgets: [20, 200], replicates: 2 });
    const used = d.nullTests.flatMap((t) => [t.a, t.b]);
    expect(new Set(used).size).toBe(60);
    expect(new Set(d.collections.map((c) => c.seed)).size).toBe(d.collections.length);
    expect([...new Set(d.powerTests.map((t) => t.queries))]).toEqual([20, 50, 200]);
    // No two power tests of one budget share both collections.
    const pairs = d.powerTests.filter((t) => t.queries === 20).map((t) => [t.a, t.b].sort().join(' '));
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(queryAt(41, 40)).toEqual({ gene: 1, index: 1 });
    expect(genes).toHaveLength(40);
  });
});

describe('audit-check collection', () => {
  it('draws the same texts in worker threads as in process; a collection of n starts a longer one', async () => {
    const specs: CollectionSpec[] = [
      { id: 'a', leaf: 'moby-spam', variant: 'f16', seed: 11, queries: 45 },
      { id: 'b', leaf: 'moby-spam', variant: 'int4', seed: 11, queries: 45 },
      { id: 'c', leaf: 'moby-spam', variant: 'f16', seed: 11, queries: 12 },
      { id: 'd', leaf: 'moby-spam', variant: 'f16', seed: 12, queries: 45 },
    ];
    const inProcess = await collectAll(specs, genes, zooDir, 0);
    const threads = await collectAll(specs, genes, zooDir, 2);
    for (const s of specs) expect(threads.get(s.id)!.texts).toEqual(inProcess.get(s.id)!.texts);
    const a = inProcess.get('a')!.texts;
    expect(inProcess.get('c')!.texts).toEqual(a.slice(0, 12));
    expect(inProcess.get('d')!.texts).not.toEqual(a);
    // The int4 substitute, served under the same name with the same seeds, answers differently somewhere.
    expect(inProcess.get('b')!.texts).not.toEqual(a);
    expect(a.every((t) => t.length === 6)).toBe(true);
  }, 300_000);

  it('lab provider: no seed is seeded from (model, prompt, sample index); a given seed is honoured', async () => {
    const provider = createLabProvider({ zooDir });
    const ask = (sampleIndex: number, seed?: number) =>
      provider.complete(
        {
          kind: 'prefix',
          model: 'moby',
          prefix: 'The ',
          sampleIndex,
          sampling: { temperature: 1, maxTokens: 24, ...(seed !== undefined ? { seed } : {}) },
        },
        { signal: new AbortController().signal, timeoutMs: 10_000 },
      );
    expect((await ask(0)).text).toBe((await ask(0)).text);
    expect((await ask(0)).text).not.toBe((await ask(1)).text);
    expect((await ask(0, 5)).text).toBe((await ask(3, 5)).text);
    expect(sampleSeed(1, 'moby', 'g-the', 0)).not.toBe(sampleSeed(1, 'moby', 'g-the', 1));
    expect(sampleSeed(1, 'moby', 'g-the', 0)).not.toBe(sampleSeed(2, 'moby', 'g-the', 0));
  });
});

describe('phylo lab audit-check', () => {
  const flags = ['--queries', '8', '--null-tests', '3', '--budgets', '6', '--replicates', '1'];
  const small = ['lab', 'audit-check', '--json', '--quiet', ...flags, '--permutations', '99', '--workers', '0'];
  const withoutTimings = (out: string) => {
    const r = JSON.parse(out) as Record<string, unknown>;
    delete r.timings;
    return r;
  };

  it('prints the calibration report as JSON, the same for the same seed and different for another', async () => {
    const first = await runCli([...small, '--seed', '3']);
    expect(first.code, first.err).toBe(0);
    const r = JSON.parse(first.out);
    expect(r.seed).toBe(3);
    expect(r.nullTests).toBe(3);
    for (const k of ['0.05', '0.01']) {
      expect(r.falsePositiveRate[k]).toBeGreaterThanOrEqual(0);
      expect(r.falsePositiveRate[k]).toBeLessThanOrEqual(1);
    }
    expect(r.falsePositiveRate['0.01']).toBeLessThanOrEqual(r.falsePositiveRate['0.05']);
    expect(r.nullPValueHistogram.reduce((s: number, v: number) => s + v, 0)).toBe(3);
    for (const k of ['sibling', 'cousin', 'int8', 'int4']) {
      expect(r.power[k]).toBeGreaterThanOrEqual(0);
      expect(r.power[k]).toBeLessThanOrEqual(1);
    }
    expect(r.queriesPerModel.map((p: { queries: number }) => p.queries)).toEqual([6, 8]);
    expect(r.identify).toHaveLength(12);
    expect(r.identifyTop1).toBeGreaterThanOrEqual(0);
    expect(r.identifyTop1).toBeLessThanOrEqual(1);
    expect(r.quantizationError.int4).toBeGreaterThan(r.quantizationError.int8);
    expect(r.timings.totalSeconds).toBeGreaterThan(0);
    const again = await runCli([...small, '--seed', '3']);
    expect(withoutTimings(again.out)).toEqual(withoutTimings(first.out));
    const other = await runCli([...small, '--seed', '4']);
    expect(withoutTimings(other.out)).not.toEqual(withoutTimings(first.out));
  }, 600_000);

  it('rejects a budget below the test minimum with one line and exit code 2', async () => {
    const r = await runCli(['lab', 'audit-check', '--queries', '3']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--queries 3: give a whole number >= 5/);
  });
});
