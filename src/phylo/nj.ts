// Neighbor joining (Saitou & Nei 1987, in Studier & Keppler's 1988 O(n^3) form), searched with RapidNJ's sorted-row
// bound (Simonsen, Mailund & Pedersen 2008) so most of the Q matrix is never looked at.
import type { DistanceMatrix } from '../core/matrix.js';
import { checkTreeInput } from './matrix-check.js';
import { joinsToTree } from './joins.js';
import type { Tree } from './tree.js';

/**
 * Unrooted NJ tree. Picks the pair minimising Q(i,j) = (r-2) d(i,j) - R_i - R_j, as ape's `nj` does; branch lengths
 * are kept as NJ gives them, negative ones included (ape does the same). Ties go to the pair found first.
 */
export function neighborJoining(m: DistanceMatrix): Tree {
  const n = checkTreeInput(m, 'neighbor joining');
  if (n <= 2) return joinsToTree(m.labels, [], [], [], [], n === 2 ? [m.values[1]! / 2, m.values[1]! / 2] : [0]);
  return new RapidNJ(m).run();
}

const FIRST_CHUNK = 16;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The search works in q = Q/(r-2) = d(a,c) - u_a - u_c with u = R/(r-2). Row a is sorted by key = d(a,c) - u_c as u_c
 * was when the row was built. Since then every u_c has grown by at most G - G_a (G sums the largest per-join growth of
 * any u), so q(a,c) >= key - u_a - (G - G_a): once that exceeds the best q so far, nothing further in the row can win.
 * This is RapidNJ's bound with the column term folded into the sort key, which prunes far better than the plain
 * distance bound on matrices whose row sums differ (Euclidean points, real data).
 *
 * A joined node takes the slot of one of its children, so every array stays n or n x n. A row holds only nodes older
 * than its own, so each pair lives in exactly one row; entries of joined or replaced nodes are skipped, and every row
 * is rebuilt (re-keyed, stale entries dropped) when a further 30% of the nodes have been joined.
 */
class RapidNJ {
  // Fields are not `private`: the hot loops read them through `const { D, R, ... } = this`, which the linter does
  // not count as a use; the class is internal to this module either way.
  readonly n: number;
  readonly D: Float64Array;
  readonly R: Float64Array;
  readonly alive: Uint8Array;
  readonly born: Int32Array;
  readonly act: Int32Array;
  r: number;
  nextBorn: number;
  /** Node id held by each slot: leaves 0..n-1, joined nodes n, n+1, ... */
  readonly nodeOf: Int32Array;

  readonly key: Float64Array;
  readonly col: Int32Array;
  readonly len: Int32Array;
  readonly sortedLen: Int32Array;
  readonly rowShift: Float64Array;
  readonly rowG: Float64Array;
  G = 0;
  /** The pair bestPair() found. */
  bi = -1;
  bj = -1;
  readonly slack: number;
  readonly shiftBase: number;

  readonly lowMask: number;
  readonly pack = new Float64Array(1);
  readonly packWords = new Uint32Array(this.pack.buffer);
  readonly lo = LITTLE_ENDIAN ? 0 : 1;
  readonly tmp: Float64Array;
  readonly older: Int32Array;

  constructor(private readonly m: DistanceMatrix) {
    const n = m.labels.length;
    this.n = n;
    this.D = new Float64Array(m.values);
    let maxAbs = 0;
    for (let i = 0; i < n * n; i++) {
      const v = Math.abs(this.D[i]!);
      if (v > maxAbs) maxAbs = v;
    }
    for (let i = 0; i < n; i++) this.D[i * n + i] = 0;
    // Keys are shifted by at least shiftBase before packing; rounding of keys, sums and packing is far below the
    // slack, which only makes the bound a little more cautious. (Matrices of denormal-sized values are scanned fully.)
    this.shiftBase = maxAbs > 1e-250 ? maxAbs : 1;
    this.slack = 1e-9 * this.shiftBase;
    this.R = new Float64Array(n);
    this.alive = new Uint8Array(n).fill(1);
    this.born = new Int32Array(n);
    this.act = new Int32Array(n);
    this.nodeOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.act[i] = i;
      this.born[i] = i;
      this.nodeOf[i] = i;
    }
    this.r = n;
    this.nextBorn = n;
    this.key = new Float64Array(n * n);
    this.col = new Int32Array(n * n);
    this.len = new Int32Array(n);
    this.sortedLen = new Int32Array(n);
    this.rowShift = new Float64Array(n);
    this.rowG = new Float64Array(n);
    const idxBits = Math.max(1, Math.ceil(Math.log2(n)));
    this.lowMask = idxBits >= 32 ? 0xffffffff : (1 << idxBits) - 1;
    this.tmp = new Float64Array(n);
    this.older = new Int32Array(n);
  }

  run(): Tree {
    const n = this.n;
    const joins = n - 3;
    const left = new Int32Array(joins);
    const right = new Int32Array(joins);
    const leftLen = new Float64Array(joins);
    const rightLen = new Float64Array(joins);
    this.rebuildAll();
    let rebuildAt = Math.floor(this.r * 0.7);
    for (let step = 0; step < joins; step++) {
      this.bestPair();
      const a = Math.min(this.bi, this.bj);
      const b = Math.max(this.bi, this.bj);
      const [la, lb] = this.join(a, b);
      left[step] = this.nodeOf[a]!;
      right[step] = this.nodeOf[b]!;
      leftLen[step] = la;
      rightLen[step] = lb;
      this.nodeOf[a] = n + step;
      if (this.r <= rebuildAt && this.r > 3) {
        this.rebuildAll();
        rebuildAt = Math.floor(this.r * 0.7);
      } else {
        this.buildRowOfNew(a);
      }
    }
    // The last three nodes meet at the centre (three-point formula).
    const [x, y, z] = [this.act[0]!, this.act[1]!, this.act[2]!];
    const D = this.D;
    const dxy = D[x * n + y]!;
    const dxz = D[x * n + z]!;
    const dyz = D[y * n + z]!;
    const rootChildren = [this.nodeOf[x]!, this.nodeOf[y]!, this.nodeOf[z]!];
    const rootLengths = [(dxy + dxz - dyz) / 2, (dxy + dyz - dxz) / 2, (dxz + dyz - dxy) / 2];
    return joinsToTree(this.m.labels, left, right, leftLen, rightLen, rootLengths, rootChildren);
  }

  /** Find the pair with the smallest Q; leaves it in bi, bj. */
  private bestPair(): void {
    const { n, key, col, D, R, alive, born, act, len, sortedLen, rowG } = this;
    const r = this.r;
    const rm2 = r - 2;
    const G = this.G;
    let qMin = Infinity;
    let qMinScaled = Infinity;
    let bi = -1;
    let bj = -1;
    for (let x = 0; x < r; x++) {
      const a = act[x]!;
      const base = a * n;
      const ra = R[a]!;
      const ba = born[a]!;
      const offset = ra / rm2 + (G - rowG[a]!) + this.slack;
      let limit = qMinScaled + offset;
      const end = base + len[a]!;
      let sortedEnd = base + sortedLen[a]!;
      for (let k = base; k < end; k++) {
        if (k === sortedEnd) {
          this.extendRow(a);
          sortedEnd = base + sortedLen[a]!;
        }
        if (key[k]! > limit) break;
        const c = col[k]!;
        if (alive[c] === 0 || born[c]! >= ba) continue;
        const q = rm2 * D[base + c]! - ra - R[c]!;
        if (q < qMin) {
          qMin = q;
          qMinScaled = q / rm2;
          limit = qMinScaled + offset;
          bi = a;
          bj = c;
        }
      }
    }
    if (bi < 0) throw new Error('neighbor joining: no pair to join (internal error)');
    this.bi = bi;
    this.bj = bj;
  }

  /** Join slots a < b into a new node in slot a (ape's branch-length and reduction formulas); returns the lengths. */
  private join(a: number, b: number): [number, number] {
    const { n, D, R, act, alive } = this;
    const rm2 = this.r - 2;
    const dab = D[a * n + b]!;
    const delta = (R[a]! - R[b]!) / rm2;
    const la = (dab + delta) / 2;
    const lb = (dab - delta) / 2;
    alive[b] = 0;
    let pos = 0;
    for (let x = 0; x < this.r; x++) if (act[x] !== b) act[pos++] = act[x]!;
    this.r--;
    const r = this.r;
    const newRm2 = Math.max(1, r - 2);
    let sumU = 0;
    let growth = -Infinity;
    for (let x = 0; x < r; x++) {
      const k = act[x]!;
      if (k === a) continue;
      const dak = D[a * n + k]!;
      const dbk = D[b * n + k]!;
      const duk = (dak + dbk - dab) / 2;
      const before = R[k]! / rm2;
      R[k] = R[k]! - dak - dbk + duk;
      const g = R[k]! / newRm2 - before;
      if (g > growth) growth = g;
      D[a * n + k] = duk;
      D[k * n + a] = duk;
      sumU += duk;
    }
    this.G += growth;
    R[a] = sumU;
    this.born[a] = this.nextBorn++;
    return [la, lb];
  }

  private buildRowOfNew(a: number): void {
    const { act, older } = this;
    let count = 0;
    for (let x = 0; x < this.r; x++) if (act[x] !== a) older[count++] = act[x]!;
    this.buildRow(a, count);
  }

  /** Rebuild every row from the live nodes, with exact sums: drops stale entries and re-keys with today's u. */
  private rebuildAll(): void {
    const { n, D, R, act, born, older } = this;
    const r = this.r;
    for (let x = 0; x < r; x++) {
      const a = act[x]!;
      let s = 0;
      for (let y = 0; y < r; y++) s += D[a * n + act[y]!]!;
      R[a] = s;
    }
    for (let x = 0; x < r; x++) {
      const a = act[x]!;
      const ba = born[a]!;
      let count = 0;
      for (let y = 0; y < r; y++) {
        const c = act[y]!;
        if (born[c]! < ba) older[count++] = c;
      }
      this.buildRow(a, count);
    }
  }

  /** Row a over the slots in older[0..count): keys computed now, the smallest chunk sorted. */
  private buildRow(a: number, count: number): void {
    const { n, D, R, key, col, older } = this;
    const base = a * n;
    const rm2 = Math.max(1, this.r - 2);
    let lo = 0;
    for (let k = 0; k < count; k++) {
      const c = older[k]!;
      const v = D[base + c]! - R[c]! / rm2;
      key[base + k] = v;
      col[base + k] = c;
      if (v < lo) lo = v;
    }
    this.rowShift[a] = this.shiftBase - lo;
    this.len[a] = count;
    this.sortedLen[a] = 0;
    this.rowG[a] = this.G;
    this.extendRow(a);
  }

  /**
   * Sort the next chunk of row a (twice the sorted prefix, at least FIRST_CHUNK). Rows are sorted lazily because
   * scans stop after a handful of entries. Sorting packs the column index into the low mantissa bits of the shifted,
   * non-negative key, so one numeric comparison orders (key, column); the value with those bits cleared is the key to
   * within slack.
   */
  private extendRow(a: number): void {
    const { n, key, col, tmp, pack, packWords, lowMask, lo } = this;
    const base = a * n;
    const s = this.sortedLen[a]!;
    const m = this.len[a]! - s;
    if (m <= 0) return;
    const chunk = Math.min(m, Math.max(FIRST_CHUNK, s));
    const shift = this.rowShift[a]!;
    for (let k = 0; k < m; k++) {
      pack[0] = key[base + s + k]! + shift;
      packWords[lo] = ((packWords[lo]! & ~lowMask) | col[base + s + k]!) >>> 0;
      tmp[k] = pack[0]!;
    }
    if (chunk < m) selectSmallest(tmp, m, chunk);
    if (chunk <= 32) insertionSort(tmp, chunk);
    else tmp.subarray(0, chunk).sort();
    for (let k = 0; k < m; k++) {
      pack[0] = tmp[k]!;
      col[base + s + k] = packWords[lo]! & lowMask;
      packWords[lo] = (packWords[lo]! & ~lowMask) >>> 0;
      key[base + s + k] = pack[0]! - shift;
    }
    this.sortedLen[a] = s + chunk;
  }
}

/** Rearrange a[0..m) so its k smallest values come first, in any order (Hoare's selection, Wirth's form). */
function selectSmallest(a: Float64Array, m: number, k: number): void {
  let l = 0;
  let r = m - 1;
  const target = k - 1;
  while (l < r) {
    const x = a[target]!;
    let i = l;
    let j = r;
    do {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < target) l = i;
    if (target < i) r = j;
  }
}

function insertionSort(a: Float64Array, m: number): void {
  for (let i = 1; i < m; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}
