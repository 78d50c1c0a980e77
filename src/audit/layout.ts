// The rows of one equality test: the answered samples of both models on their shared probes, probe by probe (A's
// samples first in each block), with their feature vectors laid out in flat arrays for the permutation loop.
import type { Sample } from '../core/types.js';
import { ALLELE_DIM, LOGPROB_DIM, NGRAM_DIM, STYLE_DIM, sampleFeatures } from './features.js';
import { leadingAxes } from './principal-axes.js';

/**
 * Pooled segments are projected on this many leading principal axes of their within-probe scatter: the directions in
 * which relabelling moves the statistic most. The scatter is the same under any relabelling within probes, so the
 * projected test stays exact; it drops the weakest directions (which the unweighted MMD barely sees anyway) and makes
 * a permutation several times cheaper.
 */
const PROJECTED_DIMS: Readonly<Record<string, number>> = { 'ngram pooled': 16, 'logprob pooled': 8 };

/** Probes the within-probe scatter is estimated from (at most). */
const SCATTER_PROBES = 200;

/** Fewer probes than this with first-token logprobs on both sides and the logprob component is left out. */
const MIN_LOGPROB_PROBES = 5;

export interface Segment {
  readonly name: string;
  readonly offset: number;
  readonly dim: number;
}

/** Rows x width features, the columns cut into named segments (one test component each). */
export interface FeatureBlock {
  readonly width: number;
  readonly segments: readonly Segment[];
  readonly rows: Float64Array;
}

export interface Layout {
  readonly probes: readonly string[];
  /** Row offsets of each probe's block (length probes + 1). */
  readonly start: Int32Array;
  /** A's samples in each block (they come first). */
  readonly countA: Int32Array;
  readonly samples: readonly Sample[];
  readonly totalA: number;
  readonly totalB: number;
  /** Features compared over all responses (what separates models with one sample per probe). */
  readonly pooled: FeatureBlock;
  /** Features compared probe by probe; absent when no probe has 3 samples (the part would be constant). */
  readonly matched: FeatureBlock | undefined;
  /** Unit-norm character 3-gram rows (samples x NGRAM_DIM), unprojected, for the effect size. */
  readonly ngram: Float64Array;
  rowsOf(probe: number): { a: Sample[]; b: Sample[] };
}

function answeredByProbe(samples: readonly Sample[]): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.outcome.status !== 'ok') continue;
    const list = out.get(s.probe);
    if (list) list.push(s);
    else out.set(s.probe, [s]);
  }
  for (const list of out.values()) list.sort((x, y) => x.index - y.index);
  return out;
}

function makeBlock(segments: readonly { name: string; dim: number }[], n: number): FeatureBlock {
  let offset = 0;
  const segs = segments.map((s) => {
    const seg = { name: s.name, offset, dim: s.dim };
    offset += s.dim;
    return seg;
  });
  return { width: offset, segments: segs, rows: new Float64Array(n * offset) };
}

/** Style columns standardised over the pooled rows (label-free, so the permutation stays exact). */
function standardizeColumns(rows: Float64Array, width: number, offset: number, dim: number, n: number): void {
  for (let k = 0; k < dim; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += rows[i * width + offset + k]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (rows[i * width + offset + k]! - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    const scale = sd > 0 ? 1 / (sd * Math.sqrt(dim)) : 0;
    for (let i = 0; i < n; i++) rows[i * width + offset + k] = (rows[i * width + offset + k]! - mean) * scale;
  }
}

/** Within-probe scatter sum_p sum_i (x_i - mean_p)(x_i - mean_p)' of one segment. */
function withinProbeScatter(block: FeatureBlock, seg: Segment, start: Int32Array): Float64Array {
  const d = seg.dim;
  const probes = start.length - 1;
  // Every step-th probe: the axes need a few hundred probes, and which probes is fixed by position, not by label.
  const step = Math.max(1, Math.floor(probes / SCATTER_PROBES));
  const W = block.width;
  const out = new Float64Array(d * d);
  const mean = new Float64Array(d);
  const x = new Float64Array(d);
  for (let p = 0; p < probes; p += step) {
    const s = start[p]!;
    const e = start[p + 1]!;
    mean.fill(0);
    for (let r = s; r < e; r++) for (let k = 0; k < d; k++) mean[k]! += block.rows[r * W + seg.offset + k]! / (e - s);
    for (let r = s; r < e; r++) {
      for (let k = 0; k < d; k++) x[k] = block.rows[r * W + seg.offset + k]! - mean[k]!;
      for (let i = 0; i < d; i++) {
        const xi = x[i]!;
        if (xi === 0) continue;
        for (let j = i; j < d; j++) out[i * d + j]! += xi * x[j]!;
      }
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[i * d + j] = out[j * d + i]!;
  return out;
}

/** The block with its larger segments replaced by their coordinates on the leading within-probe principal axes. */
function projectBlock(block: FeatureBlock, start: Int32Array, n: number): FeatureBlock {
  const axes = block.segments.map((seg) => {
    const r = PROJECTED_DIMS[seg.name];
    if (r === undefined || r >= seg.dim) return undefined;
    return { r, basis: leadingAxes(withinProbeScatter(block, seg, start), seg.dim, r) };
  });
  const out = makeBlock(
    block.segments.map((seg, i) => ({ name: seg.name, dim: axes[i]?.r ?? seg.dim })),
    n,
  );
  block.segments.forEach((seg, i) => {
    const to = out.segments[i]!;
    const ax = axes[i];
    for (let row = 0; row < n; row++) {
      const src = row * block.width + seg.offset;
      const dst = row * out.width + to.offset;
      if (!ax) {
        for (let k = 0; k < seg.dim; k++) out.rows[dst + k] = block.rows[src + k]!;
        continue;
      }
      for (let k = 0; k < seg.dim; k++) {
        const v = block.rows[src + k]!;
        if (v === 0) continue;
        for (let c = 0; c < ax.r; c++) out.rows[dst + c]! += v * ax.basis[k * ax.r + c]!;
      }
    }
  });
  return out;
}

export function layoutOf(a: readonly Sample[], b: readonly Sample[]): Layout {
  const byA = answeredByProbe(a);
  const byB = answeredByProbe(b);
  const probes = [...byA.keys()].filter((p) => byB.has(p)).sort();
  const start = new Int32Array(probes.length + 1);
  const countA = new Int32Array(probes.length);
  const samples: Sample[] = [];
  let totalA = 0;
  let multi = false;
  let logprobProbes = 0;
  const logprobProbe: boolean[] = [];
  probes.forEach((p, i) => {
    const sa = byA.get(p)!;
    const sb = byB.get(p)!;
    start[i] = samples.length;
    countA[i] = sa.length;
    totalA += sa.length;
    samples.push(...sa, ...sb);
    if (sa.length + sb.length >= 3) multi = true;
    const both = sa.some((s) => sampleFeatures(s).logprob) && sb.some((s) => sampleFeatures(s).logprob);
    logprobProbe.push(both);
    if (both) logprobProbes++;
  });
  start[probes.length] = samples.length;
  const n = samples.length;
  const withLogprobs = logprobProbes >= MIN_LOGPROB_PROBES;
  const raw = makeBlock(
    [
      { name: 'ngram pooled', dim: NGRAM_DIM },
      { name: 'style pooled', dim: STYLE_DIM },
      ...(withLogprobs ? [{ name: 'logprob pooled', dim: LOGPROB_DIM }] : []),
    ],
    n,
  );
  const matched = multi
    ? makeBlock(
        [
          { name: 'ngram matched', dim: NGRAM_DIM },
          { name: 'allele matched', dim: ALLELE_DIM },
          ...(withLogprobs ? [{ name: 'logprob matched', dim: LOGPROB_DIM }] : []),
        ],
        n,
      )
    : undefined;
  const ngram = new Float64Array(n * NGRAM_DIM);
  for (let p = 0; p < probes.length; p++) {
    for (let r = start[p]!; r < start[p + 1]!; r++) {
      const f = sampleFeatures(samples[r]!);
      const lp = withLogprobs && logprobProbe[p] ? f.logprob : undefined;
      raw.rows.set(f.ngram, r * raw.width);
      raw.rows.set(f.style, r * raw.width + NGRAM_DIM);
      if (lp) raw.rows.set(lp, r * raw.width + NGRAM_DIM + STYLE_DIM);
      ngram.set(f.ngram, r * NGRAM_DIM);
      if (matched) {
        matched.rows.set(f.ngram, r * matched.width);
        matched.rows.set(f.allele, r * matched.width + NGRAM_DIM);
        if (lp) matched.rows.set(lp, r * matched.width + NGRAM_DIM + ALLELE_DIM);
      }
    }
  }
  if (n > 0) standardizeColumns(raw.rows, raw.width, NGRAM_DIM, STYLE_DIM, n);
  const pooled = projectBlock(raw, start, n);
  return {
    probes,
    start,
    countA,
    samples,
    totalA,
    totalB: n - totalA,
    pooled,
    matched,
    ngram,
    rowsOf(p) {
      const s = start[p]!;
      return { a: samples.slice(s, s + countA[p]!), b: samples.slice(s + countA[p]!, start[p + 1]!) };
    },
  };
}
