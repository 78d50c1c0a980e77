// Distance matrices on disk: TSV (first row and first column are labels; the corner cell says signal/metric), square
// PHYLIP (matrix-io-phylip.ts) and NEXUS (matrix-io-nexus.ts). Every reader ends in the one check of matrix-check.ts;
// PHYLIP ids that stand for long or unsafe labels are mapped back through the labels.tsv written beside them.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { readTextFile } from '../core/text-file.js';
import { labelMapCandidates, readLabelMapFile } from '../phylo/files.js';
import { formatLabelMap, mapLabelsBack } from '../phylo/label-map.js';
import { MAX_MATRIX_TAXA } from '../phylo/limits.js';
import { checkDistanceMatrix } from '../phylo/matrix-check.js';
import type { Tree } from '../phylo/tree.js';
import { formatNexus, parseNexusDistances } from './matrix-io-nexus.js';
import { formatPhylip, parsePhylip, phylipIds } from './matrix-io-phylip.js';

export { formatPhylip, parsePhylip, phylipIds } from './matrix-io-phylip.js';
export { formatNexus, parseNexusDistances, nexusQuote } from './matrix-io-nexus.js';

/** Matrix files above this are refused unread (a 1,800-taxon matrix at full precision is ~64 MiB). */
export const MAX_MATRIX_FILE_BYTES = 64 * 1024 * 1024;

function readMatrixText(file: string, what: string): string {
  return readTextFile(file, what, MAX_MATRIX_FILE_BYTES);
}

function parseDistance(text: string, file: string, row: string, col: string): number {
  const v = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(v))
    throw new InputError(`${file}: row "${row}", column "${col}": "${text}" is not a finite number`);
  return v;
}

/** The matrix with its labels mapped back through a label map beside `file` that names every one of them. */
function withNamesBeside(file: string, m: DistanceMatrix): DistanceMatrix {
  for (const candidate of labelMapCandidates(file)) {
    if (!fs.existsSync(candidate)) continue;
    const names = mapLabelsBack(m.labels, readLabelMapFile(candidate));
    if (names !== null) {
      const mapped = { ...m, labels: names };
      checkDistanceMatrix(mapped, `${file} (labels from ${candidate})`);
      return mapped;
    }
  }
  return m;
}

/**
 * Read a square PHYLIP distance matrix (see parsePhylip); ids are mapped back to names when a label map beside the
 * file (`<name>.labels.tsv` or `labels.tsv`) names every one.
 */
export function readPhylip(file: string): DistanceMatrix {
  return withNamesBeside(file, parsePhylip(readMatrixText(file, 'PHYLIP matrix'), file));
}

export type MatrixFormat = 'tsv' | 'phylip' | 'nexus';

/** The format of a matrix file: NEXUS by its #NEXUS line, PHYLIP by a leading taxon count, else TSV. */
export function sniffMatrixFormat(text: string): MatrixFormat {
  const head = text.trimStart().slice(0, 64);
  if (/^#nexus/i.test(head)) return 'nexus';
  if (/^\d+\s/.test(head)) return 'phylip';
  return 'tsv';
}

/** Read a distance matrix in any of the formats we write (PHYLIP, NEXUS, TSV), told apart by content. */
export function readDistanceMatrix(file: string): DistanceMatrix {
  const text = readMatrixText(file, 'matrix');
  switch (sniffMatrixFormat(text)) {
    case 'nexus':
      return withNamesBeside(file, parseNexusDistances(text, file));
    case 'phylip':
      return withNamesBeside(file, parsePhylip(text, file));
    case 'tsv':
      return parseMatrixTsv(text, file);
  }
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
  if (n > MAX_MATRIX_TAXA)
    throw new InputError(`${file}: ${n} labels, above the limit of ${MAX_MATRIX_TAXA} taxa per matrix`);
  if (lines.length - 1 !== n)
    throw new InputError(
      `${file}: ${n} labels in the first row but ${lines.length - 1} data rows; the matrix must be square`,
    );
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1]!.split('\t');
    const label = cells[0]!.trim();
    if (label !== labels[i])
      throw new InputError(
        `${file}: row ${i + 2} is labelled "${label}" but column ${i + 1} is "${labels[i]}"; rows and columns must ` +
          `list the same labels in the same order`,
      );
    if (cells.length - 1 !== n)
      throw new InputError(`${file}: row ${i + 2} ("${label}") has ${cells.length - 1} values, expected ${n}`);
    for (let j = 0; j < n; j++) values[i * n + j] = parseDistance(cells[j + 1]!, file, label, labels[j]!);
  }
  const slash = corner.indexOf('/');
  const [signal, metric] =
    slash > 0 ? [corner.slice(0, slash), corner.slice(slash + 1)] : ['file', path.basename(file)];
  const m = { labels, values, signal, metric };
  checkDistanceMatrix(m, file);
  return m;
}

export function readMatrixTsv(file: string): DistanceMatrix {
  return parseMatrixTsv(readMatrixText(file, 'matrix'), file);
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

/** The files `phylo tree` writes for a matrix: `<stem>.tsv`, `<stem>.phy` (+ `<stem>.labels.tsv` when PHYLIP needs
 * ids) and `<stem>.nex` (with the trees given). Returns the paths written. */
export function writeMatrixFiles(
  dir: string,
  m: DistanceMatrix,
  trees: Readonly<Record<string, Tree>> = {},
  stem = 'matrix',
): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, stem);
  const written = [`${base}.tsv`, `${base}.phy`, `${base}.nex`];
  fs.writeFileSync(written[0]!, formatMatrixTsv(m));
  const { ids, mapped } = phylipIds(m.labels);
  fs.writeFileSync(written[1]!, formatPhylip(m, ids));
  if (mapped) {
    const map = `${base}.labels.tsv`;
    fs.writeFileSync(map, formatLabelMap(new Map(m.labels.map((l, i) => [l, ids[i]!]))));
    written.push(map);
  } else fs.rmSync(`${base}.labels.tsv`, { force: true });
  fs.writeFileSync(written[2]!, formatNexus(m, trees));
  return written;
}
