// The rows of one equality test: the answered samples of both models on their shared probes, probe by probe (A's
// samples first in each block), with their feature vectors laid out in flat arrays for the permutation loop.
import type { Sample } from '../core/types.js';
import { ALLELE_DIM, LOGPROB_DIM, NGRAM_DIM, STYLE_DIM, sampleFeatures } from './features.js';

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

function block(segments: readonly { name: string; dim: number }[], n: number): FeatureBlock {
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
  const pooled = block(
    [
      { name: 'ngram pooled', dim: NGRAM_DIM },
      { name: 'style pooled', dim: STYLE_DIM },
      ...(withLogprobs ? [{ name: 'logprob pooled', dim: LOGPROB_DIM }] : []),
    ],
    n,
  );
  const matched = multi
    ? block(
        [
          { name: 'ngram matched', dim: NGRAM_DIM },
          { name: 'allele matched', dim: ALLELE_DIM },
          ...(withLogprobs ? [{ name: 'logprob matched', dim: LOGPROB_DIM }] : []),
        ],
        n,
      )
    : undefined;
  for (let p = 0; p < probes.length; p++) {
    for (let r = start[p]!; r < start[p + 1]!; r++) {
      const f = sampleFeatures(samples[r]!);
      const lp = withLogprobs && logprobProbe[p] ? f.logprob : undefined;
      pooled.rows.set(f.ngram, r * pooled.width);
      pooled.rows.set(f.style, r * pooled.width + NGRAM_DIM);
      if (lp) pooled.rows.set(lp, r * pooled.width + NGRAM_DIM + STYLE_DIM);
      if (matched) {
        matched.rows.set(f.ngram, r * matched.width);
        matched.rows.set(f.allele, r * matched.width + NGRAM_DIM);
        if (lp) matched.rows.set(lp, r * matched.width + NGRAM_DIM + ALLELE_DIM);
      }
    }
  }
  if (n > 0) standardizeColumns(pooled.rows, pooled.width, NGRAM_DIM, STYLE_DIM, n);
  return {
    probes,
    start,
    countA,
    samples,
    totalA,
    totalB: n - totalA,
    pooled,
    matched,
    rowsOf(p) {
      const s = start[p]!;
      return { a: samples.slice(s, s + countA[p]!), b: samples.slice(s + countA[p]!, start[p + 1]!) };
    },
  };
}
