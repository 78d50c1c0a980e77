// The permutation loop of the equality test. A permutation re-assigns each probe's pooled samples to A and B keeping
// the counts; the statistics are squared distances between label means of fixed feature vectors (MMD with a linear
// kernel on them), so a permutation costs one pass of vector additions over A's rows, not a Gram matrix.
import type { Rng } from '../core/random.js';
import type { Layout, FeatureBlock } from './layout.js';

export interface Component {
  readonly name: string;
  readonly kind: 'pooled' | 'matched';
  readonly offset: number;
  readonly dim: number;
}

export interface PermutationStatistics {
  readonly components: readonly Component[];
  /** (permutations + 1) x components, row 0 the observed labelling. */
  readonly values: Float64Array;
  /** Each probe's share of the observed statistic, with the components weighted by `scales`. */
  probeContributions(scales: readonly number[]): number[];
}

function componentsOf(block: FeatureBlock | undefined, kind: Component['kind']): Component[] {
  return (block?.segments ?? []).map((s) => ({ name: s.name, kind, offset: s.offset, dim: s.dim }));
}

/** ||sumA/nA - (total - sumA)/nB||^2 over one segment. */
function meanGap(sumA: Float64Array, total: Float64Array, offset: number, dim: number, nA: number, nB: number) {
  let s = 0;
  for (let k = offset; k < offset + dim; k++) {
    const d = sumA[k]! / nA - (total[k]! - sumA[k]!) / nB;
    s += d * d;
  }
  return s;
}

function addRow(target: Float64Array, rows: Float64Array, row: number, width: number): void {
  const base = row * width;
  for (let k = 0; k < width; k++) target[k]! += rows[base + k]!;
}

/** Pair probes are flipped in groups of 4 whose 16 subset sums are tabulated once ("four Russians"). */
const FLIP_GROUP = 4;
const FLIP_GROUP_STATES = 1 << FLIP_GROUP;

interface FlipTable {
  readonly groups: number;
  /** Mask of the coins that exist in each group (the last group may be partial). */
  readonly valid: Int32Array;
  /** groups x 256 x width: the sum of the deltas of the flipped pairs in each state of a group. */
  readonly table: Float64Array;
}

function flipTable(deltas: Float64Array, pairs: number, W: number): FlipTable {
  const groups = Math.ceil(pairs / FLIP_GROUP);
  const valid = new Int32Array(groups);
  const table = new Float64Array(groups * FLIP_GROUP_STATES * W);
  for (let g = 0; g < groups; g++) {
    const size = Math.min(FLIP_GROUP, pairs - g * FLIP_GROUP);
    valid[g] = (1 << size) - 1;
    for (let mask = 1; mask < 1 << size; mask++) {
      const low = mask & -mask;
      const pair = g * FLIP_GROUP + 31 - Math.clz32(low);
      const to = (g * FLIP_GROUP_STATES + mask) * W;
      const from = (g * FLIP_GROUP_STATES + (mask ^ low)) * W;
      for (let k = 0; k < W; k++) table[to + k] = table[from + k]! + deltas[pair * W + k]!;
    }
  }
  return { groups, valid, table };
}

export function permutationStatistics(layout: Layout, permutations: number, rng: Rng): PermutationStatistics {
  const { pooled, matched, start, countA, totalA, totalB } = layout;
  const probes = layout.probes.length;
  const W = pooled.width;
  const X = pooled.rows;
  const components = [...componentsOf(pooled, 'pooled'), ...componentsOf(matched, 'matched')];
  const C = components.length;
  const pooledC = pooled.segments.length;

  // Probes with one sample on each side relabel by a coin flip: A's sum gains (x_b - x_a) when flipped.
  const pairs: number[] = [];
  const general: number[] = [];
  for (let p = 0; p < probes; p++) {
    if (countA[p] === 1 && start[p + 1]! - start[p]! === 2) pairs.push(p);
    else general.push(p);
  }
  const pairDelta = new Float64Array(pairs.length * W);
  const base = new Float64Array(W);
  const total = new Float64Array(W);
  for (let r = 0; r < layout.samples.length; r++) addRow(total, X, r, W);
  pairs.forEach((p, i) => {
    const ra = start[p]!;
    for (let k = 0; k < W; k++) {
      base[k]! += X[ra * W + k]!;
      pairDelta[i * W + k] = X[(ra + 1) * W + k]! - X[ra * W + k]!;
    }
  });
  const flips = flipTable(pairDelta, pairs.length, W);

  // The matched part: a pair probe's term ||x_a - x_b||^2 is the same under any relabelling, so it is a constant.
  const MW = matched?.width ?? 0;
  const Y = matched?.rows ?? new Float64Array(0);
  const matchedConstant = new Float64Array(matched?.segments.length ?? 0);
  const probeTotals = new Float64Array(probes * MW);
  if (matched) {
    for (let p = 0; p < probes; p++)
      for (let r = start[p]!; r < start[p + 1]!; r++)
        for (let k = 0; k < MW; k++) probeTotals[p * MW + k]! += Y[r * MW + k]!;
    for (const p of pairs) {
      const ra = start[p]!;
      matched.segments.forEach((seg, j) => {
        let s = 0;
        for (let k = seg.offset; k < seg.offset + seg.dim; k++) s += (Y[ra * MW + k]! - Y[(ra + 1) * MW + k]!) ** 2;
        matchedConstant[j]! += s;
      });
    }
  }

  const values = new Float64Array((permutations + 1) * C);
  const sumA = new Float64Array(W);
  const probeSumA = new Float64Array(MW);
  const maxBlock = Math.max(0, ...general.map((p) => start[p + 1]! - start[p]!));
  const order = new Int32Array(maxBlock);

  for (let perm = 0; perm <= permutations; perm++) {
    const observed = perm === 0;
    sumA.set(base);
    let bits = 0;
    for (let g = 0; g < flips.groups; g++) {
      // One 32-bit draw gives the coins of eight groups of 4 pair probes.
      if ((g & 7) === 0) bits = observed ? 0 : (rng() * 4294967296) >>> 0;
      const mask = (bits >>> ((g & 7) * 4)) & flips.valid[g]!;
      if (mask === 0) continue;
      const off = (g * FLIP_GROUP_STATES + mask) * W;
      for (let k = 0; k < W; k++) sumA[k]! += flips.table[off + k]!;
    }
    const row = perm * C;
    if (matched) for (let j = 0; j < matchedConstant.length; j++) values[row + pooledC + j] = matchedConstant[j]!;
    for (const p of general) {
      const s = start[p]!;
      const n = start[p + 1]! - s;
      const nA = countA[p]!;
      for (let i = 0; i < n; i++) order[i] = i;
      // Partial Fisher-Yates: the first nA of a uniform shuffle are a uniform nA-subset.
      if (!observed)
        for (let i = 0; i < nA; i++) {
          const j = i + Math.floor(rng() * (n - i));
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
        }
      if (matched) probeSumA.fill(0);
      for (let i = 0; i < nA; i++) {
        addRow(sumA, X, s + order[i]!, W);
        if (matched) addRow(probeSumA, Y, s + order[i]!, MW);
      }
      if (matched) {
        const totals = probeTotals.subarray(p * MW, (p + 1) * MW);
        matched.segments.forEach((seg, j) => {
          values[row + pooledC + j]! += meanGap(probeSumA, totals, seg.offset, seg.dim, nA, n - nA);
        });
      }
    }
    for (let j = 0; j < pooledC; j++) {
      const seg = pooled.segments[j]!;
      values[row + j] = meanGap(sumA, total, seg.offset, seg.dim, totalA, totalB);
    }
    for (let j = pooledC; j < C; j++) values[row + j]! /= probes;
  }

  return {
    components,
    values,
    probeContributions(scales) {
      const out = new Array<number>(probes).fill(0);
      // Observed A sums, to split each pooled ||gap||^2 into per-probe inner products <gap_p, gap>.
      const obsA = new Float64Array(W);
      for (let p = 0; p < probes; p++) for (let i = 0; i < countA[p]!; i++) addRow(obsA, X, start[p]! + i, W);
      for (let p = 0; p < probes; p++) {
        const pa = new Float64Array(W);
        const pb = new Float64Array(W);
        for (let r = start[p]!; r < start[p + 1]!; r++) addRow(r < start[p]! + countA[p]! ? pa : pb, X, r, W);
        pooled.segments.forEach((seg, j) => {
          let s = 0;
          for (let k = seg.offset; k < seg.offset + seg.dim; k++) {
            const gap = obsA[k]! / totalA - (total[k]! - obsA[k]!) / totalB;
            s += (pa[k]! / totalA - pb[k]! / totalB) * gap;
          }
          out[p]! += s * (scales[j] ?? 0);
        });
        if (matched) {
          const ya = new Float64Array(MW);
          for (let i = 0; i < countA[p]!; i++) addRow(ya, Y, start[p]! + i, MW);
          const totals = probeTotals.subarray(p * MW, (p + 1) * MW);
          const n = start[p + 1]! - start[p]!;
          matched.segments.forEach((seg, j) => {
            const gap = meanGap(ya, totals, seg.offset, seg.dim, countA[p]!, n - countA[p]!);
            out[p]! += (gap / probes) * (scales[pooledC + j] ?? 0);
          });
        }
      }
      return out;
    },
  };
}
