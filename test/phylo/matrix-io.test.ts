import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import {
  formatMatrixTsv,
  formatPhylip,
  parseMatrixTsv,
  readMatrixTsv,
  readPhylip,
  writeMatrixTsv,
} from '../../src/distance/matrix-io.js';
import { REF, maxDifference } from './helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-io-'));

describe('readPhylip', () => {
  it('reads the square reference matrices', () => {
    const m = readPhylip(path.join(REF, 'five.phy'));
    expect(m.labels).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(m.values[0 * 5 + 1]).toBe(5);
    expect(m.values[3 * 5 + 4]).toBe(3);
    const big = readPhylip(path.join(REF, 'euclid100.phy'));
    expect(big.labels).toHaveLength(100);
  });

  it('agrees with the TSV copy of the AlpacaEval matrix', () => {
    const phy = readPhylip(path.join(REF, 'alpaca38.phy'));
    const tsv = readMatrixTsv(path.join(REF, 'alpaca-dev-tfidf.tsv'));
    expect(tsv.labels).toHaveLength(38);
    expect(maxDifference(phy, tsv)).toBeLessThan(1e-6);
  });

  it('reads rows wrapped over several lines and refuses lower-triangular files', () => {
    const dir = tmp();
    const wrapped = path.join(dir, 'w.phy');
    fs.writeFileSync(wrapped, '3\na 0 1\n 2\nb 1 0 3\nc 2 3\n0\n');
    expect(readPhylip(wrapped).values[2 * 3 + 1]).toBe(3);
    const lower = path.join(dir, 'l.phy');
    fs.writeFileSync(lower, '3\na\nb 1\nc 2 3\n');
    expect(() => readPhylip(lower)).toThrow(InputError);
    expect(() => readPhylip(lower)).toThrow(/l\.phy: declares 3 taxa but holds 6 of the 12 .* lower-triangular/);
    expect(() => readPhylip(path.join(dir, 'missing.phy'))).toThrow(/cannot read it/);
  });

  it('refuses asymmetric matrices naming both cells', () => {
    const file = path.join(tmp(), 'a.phy');
    fs.writeFileSync(file, '2\nx 0 1\ny 2 0\n');
    expect(() => readPhylip(file)).toThrow(/not symmetric: row "x" has 1 for "y"/);
  });
});

describe('TSV matrices', () => {
  it('round-trip labels, full-precision values, signal and metric', () => {
    const m = {
      labels: ['openai:gpt-4o-mini', 'lab:base', 'x y'],
      values: new Float64Array([0, 0.1 + 0.2, Math.PI, 0.1 + 0.2, 0, 1e-17, Math.PI, 1e-17, 0]),
      signal: 'embed',
      metric: 'cosine',
    };
    const file = path.join(tmp(), 'sub', 'm.tsv');
    writeMatrixTsv(file, m);
    const back = readMatrixTsv(file);
    expect(back.labels).toEqual(m.labels);
    expect(Array.from(back.values)).toEqual(Array.from(m.values));
    expect([back.signal, back.metric]).toEqual(['embed', 'cosine']);
    expect(formatMatrixTsv(back)).toBe(fs.readFileSync(file, 'utf8'));
    expect(formatPhylip(m, ['s0', 's1', 's2']).split('\n')[1]).toBe(`s0         0 ${0.1 + 0.2} ${Math.PI}`);
  });

  it('names the file and row of bad input', () => {
    expect(() => parseMatrixTsv('\ta\tb\na\t0\t1\nb\t1\n', 'bad.tsv')).toThrow(
      /bad\.tsv: row 3 \("b"\) has 1 values, expected 2/,
    );
    expect(() => parseMatrixTsv('\ta\tb\na\t0\tx\nb\tx\t0\n', 'bad.tsv')).toThrow(
      /bad\.tsv: row "a", column "b": "x" is not a finite number/,
    );
    expect(() => parseMatrixTsv('\ta\tb\nb\t0\t1\na\t1\t0\n', 'bad.tsv')).toThrow(
      /row 2 is labelled "b" but column 1 is "a"/,
    );
    expect(() => parseMatrixTsv('\ta\tb\na\t0\t1\n', 'bad.tsv')).toThrow(/must be square/);
    expect(() => formatMatrixTsv({ labels: ['a\tb'], values: new Float64Array(1), signal: 's', metric: 'm' })).toThrow(
      InputError,
    );
  });
});
