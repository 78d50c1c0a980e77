// Analyses over the per-tensor pair sums of a comparison (compare.ts): the genotype distance matrix, per-layer
// distances, and layer importance against a reference tree. Pure functions: no file is read here.
import { InputError } from '../core/errors.js';
import { makeDistanceMatrix, type DistanceMatrix } from '../core/matrix.js';
import { compareLayers } from './align.js';
import type { GenotypeComparison } from './compare.js';
import { pearson, spearman } from '../distance/correlation.js';
import { addInto, emptyStats, metricValue, type GenotypeMetric, type PairStats } from './metrics.js';

export interface GenotypeViewOptions {
  readonly metric?: GenotypeMetric;
  /** Only canonical tensor names matching this. */
  readonly layers?: RegExp;
  /** A model label: L2 is then relative to this model's norm over the same tensors. */
  readonly parent?: string;
}

/** How much each tensor counts: 0 leaves it out, 1 counts it once, k as if it appeared k times (bootstrap). */
type TensorWeight = (tensor: number) => number;

/** Sums per pair (row-major a*n+b, a < b) over the tensors, each weighted. */
function pairTotals(cmp: GenotypeComparison, weight: TensorWeight): PairStats[] {
  const n = cmp.models.length;
  const totals = Array.from({ length: n * n }, () => emptyStats());
  for (const r of cmp.pairs) {
    const w = weight(r.tensor);
    if (w !== 0) addInto(totals[r.a * n + r.b]!, r, w);
  }
  return totals;
}

/** The distance matrix over weighted tensors (weights from `weight`, see TensorWeight). */
export function weightedGenotypeMatrix(
  cmp: GenotypeComparison,
  weight: TensorWeight,
  metric: GenotypeMetric,
  parent: number | undefined,
): DistanceMatrix {
  const n = cmp.models.length;
  const totals = pairTotals(cmp, weight);
  let parentNorm2: number | undefined;
  if (parent !== undefined && metric === 'l2') {
    parentNorm2 = 0;
    cmp.tensors.forEach((_, t) => {
      parentNorm2! += weight(t) * cmp.norms2[parent]![t]!;
    });
  }
  const values = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const v = metricValue(totals[a * n + b]!, metric, parentNorm2);
      values[a * n + b] = v;
      values[b * n + a] = v;
    }
  }
  const name = parent !== undefined && metric === 'l2' ? 'l2-rel' : metric;
  return makeDistanceMatrix(
    cmp.models.map((m) => m.label),
    values,
    'genotype',
    name,
  );
}

/** The models x models genotype distance over the selected tensors. */
export function genotypeMatrix(cmp: GenotypeComparison, opts: GenotypeViewOptions = {}): DistanceMatrix {
  const selected = selectedTensors(cmp, opts.layers);
  return weightedGenotypeMatrix(
    cmp,
    (t) => (selected.has(t) ? 1 : 0),
    opts.metric ?? 'l2',
    parentIndex(cmp, opts.parent),
  );
}

/** Indices of the tensors whose canonical names match `layers` (all when absent); an error when none does. */
export function selectedTensors(cmp: GenotypeComparison, layers: RegExp | undefined): Set<number> {
  const selected = new Set<number>();
  cmp.tensors.forEach((t, i) => {
    if (!layers || layers.test(t.canonical)) selected.add(i);
  });
  if (selected.size === 0) {
    throw new InputError(
      `genotype: no tensor shared by all models matches ${layers ? `--layers ${layers.source}` : 'the comparison'} ` +
        `(see the missing / shape-mismatch report)`,
    );
  }
  return selected;
}

/** The model index of `parent` (a label or the path given), for relative L2. */
export function parentIndex(cmp: GenotypeComparison, parent: string | undefined): number | undefined {
  if (parent === undefined) return undefined;
  const i = cmp.models.findIndex((m) => m.label === parent || m.source === parent);
  if (i < 0)
    throw new InputError(
      `--parent ${parent}: not one of the models compared (${cmp.models.map((m) => m.label).join(', ')})`,
    );
  return i;
}

export interface LayerDistance {
  readonly layer: string;
  readonly tensors: number;
  readonly parameters: number;
  readonly matrix: DistanceMatrix;
  /** Mean and max of the metric over pairs. */
  readonly mean: number;
  readonly max: number;
  /** Mean over pairs of L2 / root-mean-square norm of the pair: a scale-free separation, comparable across layers. */
  readonly separation: number;
  /** Mean fraction of values changed beyond the tolerance. */
  readonly changed: number;
}

/** One distance matrix per layer (blk.N, token_embd, output...), in model order. */
export function layerDistances(cmp: GenotypeComparison, opts: GenotypeViewOptions = {}): LayerDistance[] {
  const metric = opts.metric ?? 'l2';
  const parent = parentIndex(cmp, opts.parent);
  const byLayer = new Map<string, number[]>();
  cmp.tensors.forEach((t, i) => {
    if (opts.layers && !opts.layers.test(t.canonical)) return;
    const list = byLayer.get(t.layer) ?? [];
    list.push(i);
    byLayer.set(t.layer, list);
  });
  const n = cmp.models.length;
  return [...byLayer.keys()].sort(compareLayers).map((layer) => {
    const members = new Set(byLayer.get(layer)!);
    const weight = (t: number) => (members.has(t) ? 1 : 0);
    const matrix = weightedGenotypeMatrix(cmp, weight, metric, parent);
    const totals = pairTotals(cmp, weight);
    let sum = 0,
      max = 0,
      separation = 0,
      changed = 0,
      count = 0;
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const v = matrix.values[a * n + b]!;
        const s = totals[a * n + b]!;
        sum += v;
        max = Math.max(max, v);
        const rms = Math.sqrt((s.normA2 + s.normB2) / 2);
        separation += rms > 0 ? Math.sqrt(s.sumSq) / rms : 0;
        changed += s.n > 0 ? s.changed / s.n : 0;
        count++;
      }
    }
    return {
      layer,
      tensors: members.size,
      parameters: [...members].reduce((a, t) => a + cmp.tensors[t]!.elements, 0),
      matrix,
      mean: sum / count,
      max,
      separation: separation / count,
      changed: changed / count,
    };
  });
}

export interface LayerImportance extends LayerDistance {
  /** Correlation of the layer's distances with the reference's (upper triangles); NaN when a side is constant. */
  readonly pearson: number;
  readonly spearman: number;
  /** 1 = most important. */
  readonly rank: number;
}

/**
 * Which layers matter: with a reference (the patristic distances of a known or phenotype tree, as a matrix), layers
 * rank by how well their distances agree with it (Pearson, then Spearman: a Mantel-style statistic); without one, by
 * how strongly they separate the models (scale-free separation).
 */
export function layerImportance(
  cmp: GenotypeComparison,
  opts: GenotypeViewOptions & { readonly reference?: DistanceMatrix } = {},
): LayerImportance[] {
  const rows = layerDistances(cmp, opts);
  const labels = cmp.models.map((m) => m.label);
  const ref = opts.reference ? referenceVector(labels, opts.reference) : undefined;
  const n = labels.length;
  const scored = rows.map((r) => {
    if (!ref) return { ...r, pearson: NaN, spearman: NaN, rank: 0 };
    const v = new Float64Array(ref.length);
    let k = 0;
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) v[k++] = r.matrix.values[a * n + b]!;
    return { ...r, pearson: pearson(v, ref), spearman: spearman(v, ref) };
  });
  const key = (x: number) => (Number.isNaN(x) ? -Infinity : x);
  scored.sort((x, y) =>
    ref
      ? key(y.pearson) - key(x.pearson) || key(y.spearman) - key(x.spearman) || y.separation - x.separation
      : y.separation - x.separation || compareLayers(x.layer, y.layer),
  );
  return scored.map((r, i) => ({ ...r, rank: i + 1 }));
}

/** The reference distances between the compared models, in pair order; tree labels are matched to model labels. */
export function referenceVector(labels: readonly string[], reference: DistanceMatrix): Float64Array {
  const idx = matchLabels(labels, reference.labels);
  const n = labels.length;
  const m = reference.labels.length;
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) out[k++] = reference.values[idx[a]! * m + idx[b]!]!;
  return out;
}

/**
 * For each model label, its index among the reference labels: an exact match, else one that agrees once a
 * `provider:` prefix or a folder path is dropped (a zoo tree says `lab:child-a`, the weights folder is `child-a`).
 */
export function matchLabels(labels: readonly string[], referenceLabels: readonly string[]): number[] {
  const short = (s: string) =>
    s
      .replace(/^[a-z][a-z0-9_-]*:/, '')
      .split(/[\\/]/)
      .pop()!;
  return labels.map((l) => {
    const i = referenceLabels.indexOf(l);
    if (i >= 0) return i;
    const candidates = referenceLabels.flatMap((r, j) => (short(r) === short(l) ? [j] : []));
    if (candidates.length === 1) return candidates[0]!;
    throw new InputError(
      candidates.length > 1
        ? `reference tree: model ${l} matches several leaves ` +
            `(${candidates.map((c) => referenceLabels[c]).join(', ')}); label the models with --labels`
        : `reference tree: no leaf for model ${l} (leaves: ${referenceLabels.join(', ')}); ` +
            'label the models with --labels to match',
    );
  });
}
