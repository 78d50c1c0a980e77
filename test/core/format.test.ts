import { describe, expect, it } from 'vitest';
import { compactNumber, fit as fitWidth, formatCost, formatDuration, wrapText } from '../../src/core/format.js';
import { heatLevel, scatterLines, marker } from '../../src/tui/plot.js';

describe('format', () => {
  it('fits text to a width, cutting with an ellipsis and stripping control sequences', () => {
    expect(fitWidth('abc', 5)).toBe('abc  ');
    expect(fitWidth('abc', 5, 'right')).toBe('  abc');
    expect(fitWidth('abcdef', 4)).toBe('abc…');
    expect(fitWidth('a\u001b[31mb\u001b]0;x\u0007c', 3)).toBe('abc');
  });
  it('writes numbers in a fixed number of characters, keeping as much precision as fits', () => {
    expect(compactNumber(6.461, 4)).toBe('6.46');
    expect(compactNumber(13.816, 3)).toBe('14');
    expect(compactNumber(0.00741, 6)).toBe('0.0074');
    expect(compactNumber(24, 6)).toBe('24');
    expect(compactNumber(0.0000123, 4)).toBe('1e-5');
    expect(compactNumber(Number.NaN, 4)).toBe('-');
    for (const x of [0.5, 3.25159, 1234.5678, 0.000987, 98765])
      expect(compactNumber(x, 5).length).toBeLessThanOrEqual(5);
  });
  it('wraps untrusted text at word boundaries without control sequences', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('a\u001b[31mb\nc', 10)).toEqual(['ab', 'c']);
  });
  it('formats durations and costs', () => {
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(1.234)).toBe('$1.23');
  });
});

describe('plot', () => {
  it('maps distances onto the colour scale from nearest to farthest', () => {
    expect(heatLevel(0, 0, 1)).toBe(0);
    expect(heatLevel(1, 0, 1)).toBe(5);
    expect(heatLevel(0.5, 0, 1)).toBe(3);
  });
  it('places every point with its marker and labels where there is room', () => {
    const pts = [
      { label: 'alpha', x: 0, y: 0 },
      { label: 'beta', x: 10, y: 10 },
      { label: 'gamma', x: 5, y: 5 },
    ];
    const lines = scatterLines(pts, 40, 9);
    expect(lines).toHaveLength(9);
    const text = lines.join('\n');
    for (let i = 0; i < pts.length; i++) expect(text).toContain(marker(i));
    expect(lines[0]).toContain('2 beta');
    expect(lines[8]!.startsWith('1 alpha')).toBe(true);
    expect(lines[4]).toContain('gamma');
  });
});
