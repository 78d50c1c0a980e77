import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomInt, seededRng } from '../../src/core/random.js';
import { readPhylip } from '../../src/distance/matrix-io.js';
import { ladderize, midpointRoot, neighborJoining, parseNewick, renderTree } from '../../src/phylo/index.js';
import { REF, randomTree, taxa } from './helpers.js';

const width = (line: string) => [...line].length;

describe('renderTree', () => {
  it('draws every leaf on its own line with box-drawing branches and a scale bar', () => {
    const text = renderTree(parseNewick('((a:1,b:2):1,(c:1,d:1):2,e:3);'), { width: 40 });
    const lines = text.split('\n');
    expect(lines).toHaveLength(6);
    for (const [k, leaf] of ['a', 'b', 'c', 'd', 'e'].entries()) expect(lines[k]!.endsWith(` ${leaf}`)).toBe(true);
    expect(text).toMatch(/[┌└├│─]/);
    expect(lines[5]).toMatch(/^├─*┤ \d/);
    // Longer paths reach further right: e (depth 3) ends after a (depth 2).
    expect(lines[4]!.indexOf(' e')).toBeGreaterThan(lines[0]!.indexOf(' a'));
  });

  it('shows support as a percentage on internal branches, and can hide it', () => {
    const t = parseNewick('((a:1,b:1)0.87:3,(c:1,d:1)0.5:3,e:4);');
    const text = renderTree(t, { width: 50 });
    expect(text).toContain('87');
    expect(text).toContain('50');
    expect(renderTree(t, { width: 50, support: false })).not.toContain('87');
  });

  it('draws a cladogram when asked or when there are no lengths', () => {
    const text = renderTree(parseNewick('((a,b),(c,(d,e)),f);'), { width: 30 });
    const lines = text.split('\n');
    expect(lines).toHaveLength(6);
    // Leaves aligned: every label starts in the same column.
    const starts = lines.map((l) => l.lastIndexOf(' '));
    expect(new Set(starts).size).toBe(1);
    expect(renderTree(parseNewick('((a:1,b:9):1,c:1,d:1);'), { lengths: false }).split('\n')).toHaveLength(4);
  });

  it('never writes a line longer than the width, truncating labels with an ellipsis', () => {
    const rng = seededRng(4);
    for (let k = 0; k < 40; k++) {
      const labels = taxa(3 + randomInt(rng, 30)).map((l) => l + 'x'.repeat(randomInt(rng, 60)));
      const t = ladderize(midpointRoot(randomTree(rng, labels, 0, 2)));
      const w = 1 + randomInt(rng, 120);
      for (const opts of [{ width: w }, { width: w, lengths: false }]) {
        for (const line of renderTree(t, opts).split('\n')) expect(width(line)).toBeLessThanOrEqual(w);
      }
    }
    const text = renderTree(parseNewick(`(${'a'.repeat(100)}:1,b:1,c:1);`), { width: 40 });
    expect(text).toContain('…');
    expect(text.split('\n').every((l) => width(l) <= 40)).toBe(true);
  });

  it('strips control sequences from labels (they may come from model output)', () => {
    const t = {
      rooted: false,
      root: {
        children: [
          { name: 'evil\u001b[31mred\u0007', length: 1, children: [] },
          { name: 'line\nbreak', length: 1, children: [] },
          { name: 'c', length: 1, children: [] },
        ],
      },
    };
    const text = renderTree(t, { width: 60 });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain('evilred');
    expect(text.split('\n')).toHaveLength(4);
  });

  it('draws the AlpacaEval tree in 100 columns', () => {
    const t = ladderize(midpointRoot(neighborJoining(readPhylip(path.join(REF, 'alpaca38.phy')))));
    const lines = renderTree(t, { width: 100 }).split('\n');
    expect(lines).toHaveLength(39);
    expect(lines.every((l) => width(l) <= 100)).toBe(true);
    expect(lines.some((l) => l.endsWith(' gpt-4o-mini-2024-07-18'))).toBe(true);
  });
});
