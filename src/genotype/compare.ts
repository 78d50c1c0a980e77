// Compares N models tensor by tensor in one streaming pass: every file is read once, a window at a time, and each
// window feeds the sums of every pair (metrics.ts). The result is plain data that the analyses (analysis.ts) and the
// lab reuse without touching the files again.
import { InputError } from '../core/errors.js';
import { canonicalName, compareLayers } from './align.js';
import { codecFor, MAX_BLOCK_ELEMENTS } from './codecs.js';
import { accumulatePair, emptyStats, type PairStats } from './metrics.js';
import { modelLabel, openWeights, type OpenOptions } from './open.js';
import { TensorReader, windowUnit } from './tensor-reader.js';
import type { TensorInfo, WeightSet } from './tensor.js';

export interface ModelSummary {
  readonly label: string;
  readonly source: string;
  readonly format: string;
  readonly tensors: number;
  readonly parameters: number;
  readonly bytes: number;
}

/** A canonical tensor present in every model with the same shape: the unit of comparison. */
export interface AlignedTensor {
  readonly canonical: string;
  readonly layer: string;
  readonly shape: readonly number[];
  readonly elements: number;
  /** Its name and dtype in each model, in model order. */
  readonly names: readonly string[];
  readonly dtypes: readonly string[];
}

/** The sums of one pair of models (a < b, indices into `models`) over one aligned tensor. */
export interface TensorPairRecord extends PairStats {
  readonly tensor: number;
  readonly a: number;
  readonly b: number;
}

export interface GenotypeComparison {
  readonly models: readonly ModelSummary[];
  readonly tensors: readonly AlignedTensor[];
  /** norms2[model][tensor] = sum of squared weights. */
  readonly norms2: readonly (readonly number[])[];
  readonly pairs: readonly TensorPairRecord[];
  /** Canonical tensors some models lack: reported, not compared. */
  readonly missing: readonly {
    readonly canonical: string;
    readonly presentIn: readonly string[];
    readonly absentFrom: readonly string[];
  }[];
  /** Canonical tensors whose shapes differ between models: reported, not compared. */
  readonly shapeMismatch: readonly {
    readonly canonical: string;
    readonly shapes: Readonly<Record<string, readonly number[]>>;
  }[];
  /** Anything else the user should know (two tensors of one model mapping to one canonical name...). */
  readonly notes: readonly string[];
  readonly tolerance: number;
}

export interface CompareOptions {
  /** Compare only canonical tensor names matching this. */
  readonly layers?: RegExp;
  /** |a - b| above this counts as changed (default 0: any change). */
  readonly tolerance?: number;
  /** Values per read window (default 1 Mi = 4 MiB of F32 per model and buffer, less beyond 8 models). */
  readonly windowElements?: number;
  readonly labels?: readonly string[];
  readonly open?: OpenOptions;
  readonly onProgress?: (p: {
    readonly bytesDone: number;
    readonly bytesTotal: number;
    readonly tensor: string;
  }) => void;
}

export async function compareModels(models: readonly string[], opts: CompareOptions = {}): Promise<GenotypeComparison> {
  if (models.length < 2) throw new InputError(`genotype: give at least two models to compare (got ${models.length})`);
  const sets: WeightSet[] = [];
  for (const m of models) sets.push(await openWeights(m, opts.open));
  const labels = opts.labels ? [...opts.labels] : uniqueLabels(models);
  if (labels.length !== models.length)
    throw new InputError(`genotype: ${labels.length} labels for ${models.length} models`);
  const plan = alignModels(sets, labels, opts.layers);
  return streamComparison(sets, labels, plan, opts);
}

export interface AlignmentPlan {
  readonly tensors: AlignedTensor[];
  /** infos[model][tensor] */
  readonly infos: TensorInfo[][];
  readonly missing: GenotypeComparison['missing'][number][];
  readonly shapeMismatch: GenotypeComparison['shapeMismatch'][number][];
  readonly notes: string[];
}

/** Match tensors across models by canonical name; keep those every model has with one shape. Pure. */
export function alignModels(sets: readonly WeightSet[], labels: readonly string[], layers?: RegExp): AlignmentPlan {
  const notes: string[] = [];
  const maps = sets.map((set, mi) => {
    const byCanonical = new Map<string, { info: TensorInfo; layer: string }>();
    for (const t of set.tensors) {
      const c = canonicalName(t.name);
      if (layers && !layers.test(c.canonical)) continue;
      const prior = byCanonical.get(c.canonical);
      if (prior) {
        notes.push(`${labels[mi]}: ${prior.info.name} and ${t.name} both map to ${c.canonical}; comparing the first`);
        continue;
      }
      byCanonical.set(c.canonical, { info: t, layer: c.layer });
    }
    return byCanonical;
  });
  const all = new Map<string, string>();
  for (const m of maps) for (const [k, v] of m) if (!all.has(k)) all.set(k, v.layer);
  const names = [...all.keys()].sort(
    (a, b) => compareLayers(all.get(a)!, all.get(b)!) || a.localeCompare(b, 'en', { numeric: true }),
  );
  const tensors: AlignedTensor[] = [];
  const infos: TensorInfo[][] = sets.map(() => []);
  const missing: AlignmentPlan['missing'] = [];
  const shapeMismatch: AlignmentPlan['shapeMismatch'] = [];
  for (const canonical of names) {
    const found = maps.map((m) => m.get(canonical));
    if (found.some((f) => !f)) {
      missing.push({
        canonical,
        presentIn: labels.filter((_, i) => found[i]),
        absentFrom: labels.filter((_, i) => !found[i]),
      });
      continue;
    }
    const shapes = found.map((f) => f!.info.shape.join('x'));
    if (new Set(shapes).size > 1) {
      shapeMismatch.push({ canonical, shapes: Object.fromEntries(labels.map((l, i) => [l, found[i]!.info.shape])) });
      continue;
    }
    const first = found[0]!.info;
    tensors.push({
      canonical,
      layer: all.get(canonical)!,
      shape: first.shape,
      elements: first.elements,
      names: found.map((f) => f!.info.name),
      dtypes: found.map((f) => f!.info.dtype),
    });
    found.forEach((f, i) => {
      infos[i]!.push(f!.info);
    });
  }
  return { tensors, infos, missing, shapeMismatch, notes };
}

async function streamComparison(
  sets: readonly WeightSet[],
  labels: readonly string[],
  plan: AlignmentPlan,
  opts: CompareOptions,
): Promise<GenotypeComparison> {
  const n = sets.length;
  const tolerance = opts.tolerance ?? 0;
  // Fail before reading anything if a tensor cannot be decoded.
  for (const row of plan.infos) for (const t of row) codecFor(t);
  // Default window: 1 Mi values, fewer when many models are read side by side (two float buffers and one raw buffer
  // per model), so memory stays near 80 MB whatever N.
  const requested = opts.windowElements ?? Math.max(1 << 16, Math.min(1 << 20, Math.floor((1 << 23) / n)));
  const W = Math.max(MAX_BLOCK_ELEMENTS, Math.floor(requested / MAX_BLOCK_ELEMENTS) * MAX_BLOCK_ELEMENTS);
  const windows: { tensor: number; start: number; count: number }[] = [];
  plan.tensors.forEach((t, ti) => {
    // Tensors whose rows are un-permuted per head are read in whole heads (a multiple of 256 values: rows of
    // quantized types are whole blocks).
    const unit = Math.max(...plan.infos.map((row) => windowUnit(row[ti]!)));
    const w = unit > 1 ? Math.max(unit, Math.floor(W / unit) * unit) : W;
    for (let start = 0; start < t.elements; start += w)
      windows.push({ tensor: ti, start, count: Math.min(w, t.elements - start) });
  });
  const slotSize = windows.reduce((m, w) => Math.max(m, w.count), 0);
  const bytesTotal = plan.infos.reduce((s, row) => s + row.reduce((a, t) => a + t.bytes, 0), 0);
  const pairIndex: [number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) pairIndex.push([a, b]);
  const stats: PairStats[][] = pairIndex.map(() => plan.tensors.map(() => emptyStats()));
  const norms2: number[][] = sets.map(() => plan.tensors.map(() => 0));
  const readers = sets.map(() => new TensorReader());
  // Two buffer slots per model: while one window is being compared the next is being read (libuv threads).
  const slots = sets.map(() => [new Float32Array(slotSize), new Float32Array(slotSize)] as const);
  const read = (k: number): Promise<void> => {
    const w = windows[k]!;
    return Promise.all(
      readers.map((r, m) =>
        r.readWindow(plan.infos[m]![w.tensor]!, w.start, w.count, slots[m]![k % 2]!.subarray(0, w.count)),
      ),
    ).then(() => undefined);
  };
  let pending: Promise<void> | undefined = windows.length > 0 ? read(0) : undefined;
  let bytesDone = 0;
  try {
    for (let k = 0; k < windows.length; k++) {
      await pending;
      pending = k + 1 < windows.length ? read(k + 1) : undefined;
      const w = windows[k]!;
      const bufs = slots.map((s) => s[k % 2]!);
      pairIndex.forEach(([a, b], p) => {
        accumulatePair(bufs[a]!, bufs[b]!, w.count, tolerance, stats[p]![w.tensor]!);
      });
      // A NaN or infinity poisons every sum it enters; one check of the pair sums per window finds it cheaply.
      if (pairIndex.some((_, p) => !Number.isFinite(stats[p]![w.tensor]!.normA2 + stats[p]![w.tensor]!.normB2)))
        throw nonFiniteWeights(bufs, w, labels, plan);
      for (let m = 0; m < n; m++)
        bytesDone += (plan.infos[m]![w.tensor]!.bytes * w.count) / plan.tensors[w.tensor]!.elements;
      opts.onProgress?.({ bytesDone, bytesTotal, tensor: plan.tensors[w.tensor]!.canonical });
    }
  } finally {
    await pending?.catch(() => undefined);
    await Promise.all(readers.map((r) => r.close()));
  }
  const pairs: TensorPairRecord[] = [];
  pairIndex.forEach(([a, b], p) => {
    plan.tensors.forEach((_, ti) => {
      const s = stats[p]![ti]!;
      // Each model's norm comes from the first pair it is in (pairs (0,1), (0,2)... cover every model).
      if (a === 0) {
        if (b === 1) norms2[0]![ti] = s.normA2;
        norms2[b]![ti] = s.normB2;
      }
      pairs.push({ tensor: ti, a, b, ...s });
    });
  });
  const models: ModelSummary[] = sets.map((s, i) => ({
    label: labels[i]!,
    source: s.source,
    format: s.format,
    tensors: s.tensors.length,
    parameters: s.tensors.reduce((a, t) => a + t.elements, 0),
    bytes: s.tensors.reduce((a, t) => a + (Number.isNaN(t.bytes) ? 0 : t.bytes), 0),
  }));
  return {
    models,
    tensors: plan.tensors,
    norms2,
    pairs,
    missing: plan.missing,
    shapeMismatch: plan.shapeMismatch,
    notes: plan.notes,
    tolerance,
  };
}

/** The one-line refusal naming the model, tensor and first element that is NaN or infinite. */
function nonFiniteWeights(
  bufs: readonly Float32Array[],
  w: { readonly tensor: number; readonly start: number; readonly count: number },
  labels: readonly string[],
  plan: AlignmentPlan,
): InputError {
  for (let m = 0; m < bufs.length; m++) {
    const values = bufs[m]!.subarray(0, w.count);
    let first = -1;
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      if (Number.isFinite(values[i]!)) continue;
      if (first < 0) first = i;
      count++;
    }
    if (first < 0) continue;
    const info = plan.infos[m]![w.tensor]!;
    return new InputError(
      `genotype: ${labels[m]}: tensor ${info.name} (${info.dtype}) holds ${count} NaN or infinite values ` +
        `(first at element ${w.start + first}${count > 1 ? ', counted in one window' : ''}); distances need finite ` +
        'weights: the file is damaged or its dtype misread; leave the tensor out with --layers',
    );
  }
  return new InputError('genotype: a weight sum is not finite although every value read is; report this as a bug');
}

/** Labels from model paths, lengthened with parent folders until they are unique. */
export function uniqueLabels(models: readonly string[]): string[] {
  const labels = models.map(modelLabel);
  if (new Set(labels).size === labels.length) return labels;
  // The path a label stands for: the folder for generic file names (model.safetensors), else the file sans extension.
  const keyParts = models.map((m, i) => {
    const parts = m
      .replace(/[\\/]+$/, '')
      .replace(/\.(safetensors|gguf)$/, '')
      .split(/[\\/]/);
    if (parts[parts.length - 1] !== labels[i]) parts.pop();
    return parts;
  });
  return models.map((m, i) => {
    if (m.startsWith('ollama:') || labels.filter((l) => l === labels[i]).length === 1) return labels[i]!;
    for (let k = 2; k <= keyParts[i]!.length; k++) {
      const candidate = keyParts[i]!.slice(-k).join('/');
      if (keyParts.filter((p) => p.slice(-k).join('/') === candidate).length === 1) return candidate;
    }
    return `${labels[i]}#${i + 1}`;
  });
}
