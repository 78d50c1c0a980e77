// Distance matrices on disk: TSV (first row and first column are labels; the corner cell says signal/metric) and
// square PHYLIP (the format of PHYLIP's `neighbor`, FastME, clearcut, quicktree).
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${what} ${file}: cannot read it (${code ?? String(err)}); check the path`);
  }
}

function parseDistance(text: string, file: string, row: string, col: string): number {
  const v = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(v))
    throw new InputError(`${file}: row "${row}", column "${col}": "${text}" is not a finite number`);
  return v;
}

/** Symmetric within rounding of the written digits, else an error naming the cell. */
function checkSymmetric(file: string, labels: readonly string[], values: Float64Array): void {
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = values[i * n + j]!;
      const b = values[j * n + i]!;
      if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))) {
        throw new InputError(
          `${file}: not symmetric: row "${labels[i]}" has ${a} for "${labels[j]}" but row "${labels[j]}" has ${b}; give a symmetric distance matrix`,
        );
      }
    }
  }
}

function checkLabels(file: string, labels: readonly string[]): void {
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l)) throw new InputError(`${file}: label "${l}" appears twice; labels must be unique`);
    seen.add(l);
  }
}

/**
 * Read a square PHYLIP distance matrix: the taxon count, then per taxon a label and n distances (whitespace
 * separated, rows may wrap over lines; relaxed PHYLIP, so labels end at whitespace). Lower-triangular files are refused.
 */
export function readPhylip(file: string): DistanceMatrix {
  const text = readText(file, 'PHYLIP matrix');
  const tokens = text.split(/\s+/).filter((t) => t.length > 0);
  let t = 0;
  const n = Number(tokens[t++]);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError(
      `${file}: first token "${tokens[0] ?? ''}" should be the number of taxa (PHYLIP distance matrix)`,
    );
  const labels: string[] = [];
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const label = tokens[t++];
    if (label === undefined) throw new InputError(`${file}: expected ${n} rows, found ${i}`);
    labels.push(label);
    for (let j = 0; j < n; j++) {
      const v = tokens[t++];
      if (v === undefined)
        throw new InputError(`${file}: row ${i + 1} ("${label}") has ${j} of ${n} distances (square PHYLIP expected)`);
      const x = Number(v);
      if (!Number.isFinite(x)) {
        throw new InputError(
          `${file}: row ${i + 1} ("${label}"), column ${j + 1}: "${v}" is not a number (is the file lower-triangular? give a square matrix)`,
        );
      }
      values[i * n + j] = x;
    }
  }
  if (t < tokens.length)
    throw new InputError(
      `${file}: text after the ${n} rows ("${tokens[t]}"); the first line should give the number of taxa`,
    );
  checkLabels(file, labels);
  checkSymmetric(file, labels, values);
  return { labels, values, signal: 'file', metric: path.basename(file) };
}

/** Parse TSV text (see writeMatrixTsv); `file` names the source in errors. */
export function parseMatrixTsv(text: string, file: string): DistanceMatrix {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0)
    throw new InputError(`${file}: empty; expected a TSV matrix with labels in the first row and column`);
  const header = lines[0]!.split('\t');
  const corner = header[0]!.trim();
  const labels = header.slice(1).map((l) => l.trim());
  const n = labels.length;
  if (n === 0)
    throw new InputError(
      `${file}: the first row has no labels; expected a tab-separated header: (corner) label1 label2 ...`,
    );
  if (lines.length - 1 !== n)
    throw new InputError(
      `${file}: ${n} labels in the first row but ${lines.length - 1} data rows; the matrix must be square`,
    );
  checkLabels(file, labels);
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1]!.split('\t');
    const label = cells[0]!.trim();
    if (label !== labels[i])
      throw new InputError(
        `${file}: row ${i + 2} is labelled "${label}" but column ${i + 1} is "${labels[i]}"; rows and columns must list the same labels in the same order`,
      );
    if (cells.length - 1 !== n)
      throw new InputError(`${file}: row ${i + 2} ("${label}") has ${cells.length - 1} values, expected ${n}`);
    for (let j = 0; j < n; j++) values[i * n + j] = parseDistance(cells[j + 1]!, file, label, labels[j]!);
  }
  checkSymmetric(file, labels, values);
  const slash = corner.indexOf('/');
  const [signal, metric] =
    slash > 0 ? [corner.slice(0, slash), corner.slice(slash + 1)] : ['file', path.basename(file)];
  return { labels, values, signal, metric };
}

export function readMatrixTsv(file: string): DistanceMatrix {
  return parseMatrixTsv(readText(file, 'matrix'), file);
}

/** TSV text: the corner cell is `signal/metric`, then labels; values in full precision. */
export function formatMatrixTsv(m: DistanceMatrix): string {
  for (const l of m.labels) {
    if (/[\t\r\n]/.test(l))
      throw new InputError(
        `label "${l.replace(/[\t\r\n]/g, ' ')}" holds a tab or newline and cannot be written to TSV; rename the model`,
      );
  }
  const n = m.labels.length;
  const out: string[] = [[`${m.signal}/${m.metric}`, ...m.labels].join('\t')];
  for (let i = 0; i < n; i++) {
    const row: string[] = [m.labels[i]!];
    for (let j = 0; j < n; j++) row.push(String(m.values[i * n + j]!));
    out.push(row.join('\t'));
  }
  return `${out.join('\n')}\n`;
}

export function writeMatrixTsv(file: string, m: DistanceMatrix): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, formatMatrixTsv(m));
}

/** Square PHYLIP text with the given labels (callers map unsafe model names to safe ids first). */
export function formatPhylip(m: DistanceMatrix, labels: readonly string[] = m.labels): string {
  const n = m.labels.length;
  const out: string[] = [String(n)];
  for (let i = 0; i < n; i++) {
    const row: string[] = [labels[i]!];
    for (let j = 0; j < n; j++) row.push(String(m.values[i * n + j]!));
    out.push(row.join(' '));
  }
  return `${out.join('\n')}\n`;
}
