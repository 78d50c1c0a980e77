// Square PHYLIP distance matrices (the format of PHYLIP's `neighbor`, FastME, clearcut, quicktree, ape's
// `read.dist`-style readers): the taxon count, then per taxon a label and n distances.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { isSafeLabel } from '../phylo/label-map.js';
import { MAX_MATRIX_TAXA } from '../phylo/limits.js';
import { checkDistanceMatrix } from '../phylo/matrix-check.js';

/** Strict PHYLIP gives a label 10 columns; longer or unsafe labels get ids (with a label map written beside). */
export const PHYLIP_LABEL_WIDTH = 10;

/**
 * Parse square PHYLIP text: rows may wrap over lines; labels end at whitespace (relaxed PHYLIP, which also reads
 * strict files whose labels hold no blanks). Lower-triangular files are refused. `file` names the source in errors.
 */
export function parsePhylip(text: string, file: string): DistanceMatrix {
  const tokens = text.split(/\s+/).filter((t) => t.length > 0);
  const declared = tokens[0] ?? '';
  const n = Number(declared);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError(`${file}: first token "${declared}" should be the number of taxa (PHYLIP distance matrix)`);
  if (n > MAX_MATRIX_TAXA)
    throw new InputError(`${file}: declares ${n} taxa, above the limit of ${MAX_MATRIX_TAXA} taxa per matrix`);
  // Checked before anything is allocated: a square matrix of n taxa is n rows of a label and n values.
  if (tokens.length - 1 < n * (n + 1))
    throw new InputError(
      `${file}: declares ${n} taxa but holds ${tokens.length - 1} of the ${n * (n + 1)} labels and values a square ` +
        'matrix of that size needs (is the file lower-triangular? give a square matrix)',
    );
  let t = 1;
  const labels: string[] = [];
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const label = tokens[t++]!;
    labels.push(label);
    for (let j = 0; j < n; j++) {
      const v = tokens[t++]!;
      const x = Number(v);
      if (!Number.isFinite(x))
        throw new InputError(
          `${file}: row ${i + 1} ("${label}"), column ${j + 1}: "${v}" is not a number ` +
            '(is the file lower-triangular? give a square matrix)',
        );
      values[i * n + j] = x;
    }
  }
  if (t < tokens.length)
    throw new InputError(
      `${file}: text after the ${n} rows ("${tokens[t]}"); the first line should give the number of taxa`,
    );
  const m = { labels, values, signal: 'file', metric: file.split(/[\\/]/).pop() ?? file };
  checkDistanceMatrix(m, file);
  return m;
}

/** Labels as PHYLIP ids: the labels themselves when all are safe and fit 10 columns, else T1..Tn (need a map). */
export function phylipIds(labels: readonly string[]): { ids: string[]; mapped: boolean } {
  if (labels.every((l) => isSafeLabel(l) && l.length <= PHYLIP_LABEL_WIDTH)) return { ids: [...labels], mapped: false };
  return { ids: labels.map((_, i) => `T${i + 1}`), mapped: true };
}

/**
 * Square PHYLIP text. Each label is padded to 10 columns and followed by a blank, so strict readers (10-column
 * labels) and relaxed ones (label ends at whitespace) both read it. Callers give ids (phylipIds) for unsafe labels.
 */
export function formatPhylip(m: DistanceMatrix, labels: readonly string[] = m.labels): string {
  const n = m.labels.length;
  const out: string[] = [String(n)];
  for (let i = 0; i < n; i++) {
    const row: string[] = [labels[i]!.padEnd(PHYLIP_LABEL_WIDTH)];
    for (let j = 0; j < n; j++) row.push(String(m.values[i * n + j]!));
    out.push(row.join(' '));
  }
  return `${out.join('\n')}\n`;
}
