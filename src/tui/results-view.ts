// What the results screen derives from an analysed run for the current choices (signal, method, rooting): pure.
import type { Tree } from '../phylo/tree.js';
import { leafLabels, midpointRoot, outgroupRoot, renderTree, writeNewick } from '../phylo/index.js';
import type { EvidenceProbe, EvidenceResponse, Exported, TraitTable } from './backend.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { formatMatrixTsv } from '../analysis/matrix-files.js';
import type { MapPoint } from '../analysis/model-map.js';
import { compactNumber } from '../core/format.js';

export type Rooting = 'unrooted' | 'midpoint' | 'outgroup';
export const ROOTINGS: readonly Rooting[] = ['unrooted', 'midpoint', 'outgroup'];

export function rootTree(tree: Tree, rooting: Rooting, outgroup: string | undefined): Tree {
  if (rooting === 'midpoint') return midpointRoot(tree);
  if (rooting === 'outgroup' && outgroup) return outgroupRoot(tree, outgroup);
  return tree;
}

export interface TreeView {
  readonly tree: Tree;
  readonly lines: readonly string[];
  /** Leaves top to bottom as drawn: the heatmap uses this order so clades show as blocks. */
  readonly order: readonly string[];
  readonly newick: string;
}

export function treeView(tree: Tree, rooting: Rooting, outgroup: string | undefined, width: number): TreeView {
  const rooted = rootTree(tree, rooting, outgroup);
  // Branch lengths to scale (a phylogram): how far apart models are matters as much as the topology.
  const text = renderTree(rooted, { width, support: true });
  return {
    tree: rooted,
    lines: text.replace(/\n$/, '').split('\n'),
    order: leafLabels(rooted),
    newick: writeNewick(rooted),
  };
}

/** Rows sorted by a column: 0 is the model name, c > 0 is trait c-1. */
export function sortTraitRows(table: TraitTable, column: number, descending: boolean): TraitTable['rows'] {
  const rows = [...table.rows];
  const sign = descending ? -1 : 1;
  rows.sort((a, b) => {
    if (column === 0) return sign * a.model.localeCompare(b.model);
    const x = a.values[column - 1] ?? NaN;
    const y = b.values[column - 1] ?? NaN;
    // Missing values sort last whichever the direction.
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return sign * (x - y);
  });
  return rows;
}

/** The table's text: model name, then each trait in at most `width` characters. */
export function traitCells(rows: TraitTable['rows'], width: number): string[][] {
  return rows.map((r) => [r.model, ...r.values.map((v) => compactNumber(v, width))]);
}

export function traitTableTsv(table: TraitTable): string {
  const lines = [
    ['model', ...table.traits].join('\t'),
    ...table.rows.map((r) => [r.model, ...r.values.map((v) => String(v))].join('\t')),
  ];
  return `${lines.join('\n')}\n`;
}

/** What is on screen when the user exports: the file's contents depend on the format and the tab. */
export interface ExportSource {
  readonly run: string;
  readonly tab: string;
  readonly signal: string;
  readonly method: string;
  readonly rooting: Rooting;
  readonly outgroup: string | undefined;
  readonly view: TreeView | undefined;
  readonly matrix: DistanceMatrix | undefined;
  readonly map: readonly MapPoint[] | undefined;
  readonly traits: TraitTable;
  readonly evidence: { readonly probe: EvidenceProbe; readonly responses: readonly EvidenceResponse[] } | undefined;
}

export type ExportFile =
  | { readonly kind: 'file'; readonly baseName: string; readonly text: string }
  | { readonly kind: 'nothing'; readonly reason: string };

/** The file an export writes: Newick of the tree, TSV of the matrix (or the trait table), JSON of everything shown. */
export function exportFile(format: Exported['format'], s: ExportSource): ExportFile {
  const base = `${s.run}.${s.signal}.${s.method}`;
  if (format === 'newick')
    return s.view
      ? { kind: 'file', baseName: base, text: `${s.view.newick}\n` }
      : { kind: 'nothing', reason: 'no tree to export' };
  if (format === 'tsv') {
    if (s.tab === 'traits') return { kind: 'file', baseName: `${s.run}.traits`, text: traitTableTsv(s.traits) };
    return s.matrix
      ? { kind: 'file', baseName: `${s.run}.${s.signal}`, text: formatMatrixTsv(s.matrix) }
      : { kind: 'nothing', reason: 'no matrix to export' };
  }
  const m = s.matrix;
  const json = {
    run: s.run,
    tab: s.tab,
    signal: s.signal,
    method: s.method,
    rooting: s.rooting,
    outgroup: s.rooting === 'outgroup' ? s.outgroup : undefined,
    newick: s.view?.newick,
    matrix: m ? { labels: m.labels, signal: m.signal, metric: m.metric, values: Array.from(m.values) } : undefined,
    map: s.map,
    traits: s.traits,
    evidence: s.tab === 'evidence' ? s.evidence : undefined,
  };
  return { kind: 'file', baseName: `${base}.${s.tab}`, text: `${JSON.stringify(json, null, 2)}\n` };
}
