// Text views of genotype results: terminal tables and TSV files. Pure string builders; tensor names and metadata
// come from files we did not write, so everything printed goes through oneLine.
import type { DistanceMatrix } from '../core/matrix.js';
import { oneLine } from '../core/sanitize.js';
import { canonicalName } from './align.js';
import type { LayerImportance } from './analysis.js';
import type { GenotypeComparison } from './compare.js';
import { metricValue } from './metrics.js';
import type { WeightSet } from './tensor.js';

/** Columns padded to their widest cell; numbers (listed in `right`) right-aligned. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number> = new Set(),
): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => oneLine(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return `${cells
    .map((r) =>
      r
        .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 ? n : n.toFixed(1)} ${units[u]}`;
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

/** Four significant digits, or scientific for tiny and huge values. */
export function num(v: number): string {
  if (Number.isNaN(v)) return '-';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? v.toPrecision(4) : v.toExponential(2);
}

/** `phylo genotype --inspect`: one row per tensor. */
export function formatInspect(set: WeightSet): string {
  const params = set.tensors.reduce((s, t) => s + t.elements, 0);
  const bytes = set.tensors.reduce((s, t) => s + (Number.isNaN(t.bytes) ? 0 : t.bytes), 0);
  const dtypes = new Map<string, number>();
  for (const t of set.tensors) dtypes.set(t.dtype, (dtypes.get(t.dtype) ?? 0) + 1);
  const head = [
    `${set.source}: ${set.format}, ${set.files.length} file${set.files.length === 1 ? '' : 's'}, ` +
      `${set.tensors.length} tensors, ${formatCount(params)} parameters, ${formatBytes(bytes)}`,
    `dtypes: ${[...dtypes].map(([d, n]) => `${d} x${n}`).join(', ')}`,
  ];
  const interesting = [
    'general.architecture',
    'general.name',
    'general.file_type',
    'general.quantization_version',
    'format',
    'gguf.version',
  ];
  for (const k of interesting) if (set.metadata[k] !== undefined) head.push(`${k}: ${String(set.metadata[k])}`);
  const rows = set.tensors.map((t) => {
    const c = canonicalName(t.name);
    return [
      t.name,
      c.known ? c.canonical : '-',
      t.dtype,
      `[${t.shape.join(', ')}]`,
      formatCount(t.elements),
      formatBytes(t.bytes),
    ];
  });
  return (
    head.map(oneLine).join('\n') +
    '\n\n' +
    table(['tensor', 'canonical', 'dtype', 'shape', 'values', 'size'], rows, new Set([4, 5]))
  );
}

export function formatModels(cmp: GenotypeComparison): string {
  const rows = cmp.models.map((m) => [
    m.label,
    m.format,
    String(m.tensors),
    formatCount(m.parameters),
    formatBytes(m.bytes),
    m.source,
  ]);
  return table(['model', 'format', 'tensors', 'params', 'size', 'source'], rows, new Set([2, 3, 4]));
}

export function formatAlignment(cmp: GenotypeComparison, limit = 8): string {
  const lines = [
    `compared ${cmp.tensors.length} tensors present in every model with one shape ` +
      `(${formatCount(cmp.tensors.reduce((s, t) => s + t.elements, 0))} values per model)`,
  ];
  if (cmp.missing.length > 0) {
    lines.push(`not compared, missing from some models: ${cmp.missing.length}`);
    for (const m of cmp.missing.slice(0, limit)) lines.push(`  ${m.canonical}: absent from ${m.absentFrom.join(', ')}`);
    if (cmp.missing.length > limit) lines.push(`  ... (${cmp.missing.length - limit} more; --out writes them all)`);
  }
  if (cmp.shapeMismatch.length > 0) {
    lines.push(`not compared, shapes differ: ${cmp.shapeMismatch.length}`);
    for (const m of cmp.shapeMismatch.slice(0, limit)) {
      lines.push(
        `  ${m.canonical}: ${Object.entries(m.shapes)
          .map(([l, s]) => `${l} [${s.join(', ')}]`)
          .join(', ')}`,
      );
    }
    if (cmp.shapeMismatch.length > limit) lines.push(`  ... (${cmp.shapeMismatch.length - limit} more)`);
  }
  for (const note of cmp.notes) lines.push(`note: ${note}`);
  return `${lines.map(oneLine).join('\n')}\n`;
}

/** The per-layer table, in layer order, with importance columns when a reference was given. */
export function formatLayers(rows: readonly LayerImportance[], metric: string, withReference: boolean): string {
  const ordered = [...rows].sort((a, b) => (withReference ? a.rank - b.rank : 0));
  const headers = ['layer', 'tensors', 'params', `mean ${metric}`, `max ${metric}`, 'separation', 'changed', 'rank'];
  if (withReference) headers.push('pearson', 'spearman');
  const body = ordered.map((r) => {
    const row = [
      r.layer,
      String(r.tensors),
      formatCount(r.parameters),
      num(r.mean),
      num(r.max),
      num(r.separation),
      `${(100 * r.changed).toFixed(1)}%`,
      String(r.rank),
    ];
    if (withReference) row.push(num(r.pearson), num(r.spearman));
    return row;
  });
  return table(headers, body, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]));
}

export function formatMatrix(m: DistanceMatrix): string {
  const n = m.labels.length;
  const rows = m.labels.map((l, i) => [l, ...Array.from({ length: n }, (_, j) => num(m.values[i * n + j]!))]);
  return table([`${m.signal}/${m.metric}`, ...m.labels], rows, new Set(Array.from({ length: n }, (_, j) => j + 1)));
}

const tsvCell = (s: string): string => s.replace(/[\t\r\n]/g, ' ');

export function layersTsv(rows: readonly LayerImportance[]): string {
  const head = [
    'layer',
    'tensors',
    'parameters',
    'mean',
    'max',
    'separation',
    'changed_fraction',
    'pearson',
    'spearman',
    'rank',
  ];
  const body = rows.map((r) =>
    [r.layer, r.tensors, r.parameters, r.mean, r.max, r.separation, r.changed, r.pearson, r.spearman, r.rank]
      .map((v) => tsvCell(String(v)))
      .join('\t'),
  );
  return `${[head.join('\t'), ...body].join('\n')}\n`;
}

/** Every pair x tensor with every metric: the raw material for other analyses. */
export function tensorsTsv(cmp: GenotypeComparison): string {
  const head = [
    'model_a',
    'model_b',
    'tensor',
    'layer',
    'values',
    'l1',
    'l2',
    'l2_rel_a',
    'cosine',
    'changed_fraction',
    'norm_a',
    'norm_b',
  ];
  const body = cmp.pairs.map((r) => {
    const t = cmp.tensors[r.tensor]!;
    return [
      cmp.models[r.a]!.label,
      cmp.models[r.b]!.label,
      t.canonical,
      t.layer,
      r.n,
      metricValue(r, 'l1'),
      metricValue(r, 'l2'),
      metricValue(r, 'l2', r.normA2),
      metricValue(r, 'cosine'),
      metricValue(r, 'changed'),
      Math.sqrt(r.normA2),
      Math.sqrt(r.normB2),
    ]
      .map((v) => tsvCell(String(v)))
      .join('\t');
  });
  return `${[head.join('\t'), ...body].join('\n')}\n`;
}

export function alignmentTsv(cmp: GenotypeComparison): string {
  const rows = [
    ...cmp.tensors.map((t) => [
      'compared',
      t.canonical,
      t.layer,
      `[${t.shape.join(',')}]`,
      cmp.models.map((m, i) => `${m.label}=${t.names[i]}:${t.dtypes[i]}`).join(' '),
    ]),
    ...cmp.missing.map((m) => [
      'missing',
      m.canonical,
      '',
      '',
      `present in ${m.presentIn.join(',')}; absent from ${m.absentFrom.join(',')}`,
    ]),
    ...cmp.shapeMismatch.map((m) => [
      'shape-mismatch',
      m.canonical,
      '',
      '',
      Object.entries(m.shapes)
        .map(([l, s]) => `${l}=[${s.join(',')}]`)
        .join(' '),
    ]),
  ];
  return `${[
    ['status', 'tensor', 'layer', 'shape', 'models'].join('\t'),
    ...rows.map((r) => r.map(tsvCell).join('\t')),
  ].join('\n')}\n`;
}
