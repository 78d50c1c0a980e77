// writeReport as the TUI calls it: with the weights of the run's own models (lab zoo checkpoints named like the run's
// lab: models) the genotype's layers rank by agreement with the phenotype tree; with four models the map is classical
// MDS; an analysed run given by the caller is reused; the evidence is cut to the probes asked for, answers trimmed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysedRun } from '../../src/analysis/analysed-run.js';
import { writeReport } from '../../src/report/write.js';
import { tempDir } from '../collect/fakes.js';
import { makeRun, type CellSpec } from '../phenotype/fixtures.js';

const ZOO = ['base', 'early', 'moby', 'early-ham'];

/** Four lab models answering 12 probes: the early pair and the moby pair each share a vocabulary. */
function zooRun() {
  const vocab: Record<string, string[]> = {
    base: ['plain', 'words', 'here'],
    early: ['thee', 'thou', 'hath'],
    'early-ham': ['thee', 'thou', 'ham'],
    moby: ['whale', 'sea', 'ship'],
  };
  const cells: CellSpec[] = [];
  for (let p = 0; p < 12; p++)
    for (const m of ZOO)
      cells.push({
        model: `lab:${m}`,
        probe: `p${p}`,
        texts: [`${vocab[m]!.join(' ')} ${p} ${'long '.repeat(p * 10)}`],
      });
  return makeRun(cells);
}

describe('writeReport', () => {
  const dir = tempDir('phylo-write-report-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ranks genotype layers by agreement with the phenotype tree when the weights are the run models', async () => {
    const data = zooRun();
    const analysed = new AnalysedRun(data);
    const tree = analysed.tree({ signal: 'embed', bootstrap: 10, seed: 1 });
    const out = path.join(dir, 'zoo.html');
    const written = await writeReport({
      data,
      analysed,
      out,
      genotype: ZOO.map((m) => `lab/zoo/${m}.safetensors`),
      bootstrap: 10,
      evidenceProbes: 3,
      trim: 50,
    });
    // The caller's analysis is reused: the tree the report draws is the one already built.
    expect(analysed.tree({ signal: 'embed', bootstrap: 10, seed: 1 })).toBe(tree);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('layers ranked by agreement with the first phenotype tree');
    expect(html).toContain('Pearson r with the reference distances');
    expect(html).toContain('Classical multidimensional scaling');
    expect(html.match(/<details class="probe">/g)).toHaveLength(3);
    expect(html).toContain('the first 3 of 12 probes');
    expect(html).toMatch(/trimmed: first 50 of \d+ characters/);
    expect(written.figures.map((f) => path.basename(f))).toEqual([
      'zoo-tree-embed.svg',
      'zoo-heatmap-embed.svg',
      'zoo-map-embed.svg',
      'zoo-traits.svg',
      'zoo-genotype-tree.svg',
      'zoo-genotype-layers.svg',
    ]);
    expect(written.seconds.render).toBeGreaterThan(0);
  }, 120_000);
});
