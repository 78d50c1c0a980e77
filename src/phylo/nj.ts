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
 * A joined node takes the slot of one of its children, so every array stays n or n(n-1)/2. A row holds only nodes older
 * than its own, so each pair lives in exactly one row; entries of joined or replaced nodes are skipped, and every row
 * is rebuilt (re-keyed, stale entries dropped) when a further 30% of the nodes have been joined.
 *
 * Memory (RapidNJ's concern too): D is a lower triangle, and the rows live in one arena, each entry one float64 that
 * packs the shifted key with its column in the low mantissa bits (the form the sort uses), reached through a Uint32
 * view. The arena holds the n(n-1)/2 pairs plus the rows of the nodes joined before the next rebuild: ~0.8 n^2
 * entries of 8 bytes, against n^2 keys of 8 and n^2 columns of 4 bytes and a square D before.
 */
class RapidNJ {
  // Fields are not `private`: the hot loops read them through `const { D, R, ... } = this`, which the linter does
  // not count as a use; the class is internal to this module either way.
  readonly n: number;
  /** Lower triangle: d(i, j), i > j, at tri[i] + j. */
  readonly D: Float64Array;
  readonly tri: Float64Array;
  readonly R: Float64Array;
  readonly alive: Uint8Array;
  readonly born: Int32Array;
  readonly act: Int32Array;
  r: number;
  nextBorn: number;
  /** Node id held by each slot: leaves 0..n-1, joined nodes n, n+1, ... */
  readonly nodeOf: Int32Array;

  /** Row entries: key + rowShift[a] with the column in the low bits; `words` views the same bytes. */
  arena: Float64Array;
  words: Uint32Array;
  /** Next free entry of the arena. */
  top = 0;
  readonly rowStart: Float64Array;
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
  readonly older: Int32Array;

  constructor(private readonly m: DistanceMatrix) {
    const n = m.labels.length;
    this.n = n;
    this.tri = new Float64Array(n);
    for (let i = 0; i < n; i++) this.tri[i] = (i * (i - 1)) / 2;
    this.D = new Float64Array((n * (n - 1)) / 2);
    let maxAbs = 0;
    for (let i = 0; i < n * n; i++) {
      const v = Math.abs(m.values[i]!);
      if (v > maxAbs) maxAbs = v;
    }
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) this.D[this.tri[i]! + j] = m.values[i * n + j]!;
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
    this.arena = new Float64Array(arenaSize(n));
    this.words = new Uint32Array(this.arena.buffer);
    this.rowStart = new Float64Array(n);
    this.len = new Int32Array(n);
    this.sortedLen = new Int32Array(n);
    this.rowShift = new Float64Array(n);
    this.rowG = new Float64Array(n);
    const idxBits = Math.max(1, Math.ceil(Math.log2(n)));
    this.lowMask = idxBits >= 32 ? 0xffffffff : (1 << idxBits) - 1;
    this.older = new Int32Array(n);
  }

  /** d(i, j) of two live slots, i != j. */
  d(i: number, j: number): number {
    return i > j ? this.D[this.tri[i]! + j]! : this.D[this.tri[j]! + i]!;
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
    const dxy = this.d(x, y);
    const dxz = this.d(x, z);
    const dyz = this.d(y, z);
    const rootChildren = [this.nodeOf[x]!, this.nodeOf[y]!, this.nodeOf[z]!];
    const rootLengths = [(dxy + dxz - dyz) / 2, (dxy + dyz - dxz) / 2, (dxz + dyz - dxy) / 2];
    return joinsToTree(this.m.labels, left, right, leftLen, rightLen, rootLengths, rootChildren);
  }

  /** Find the pair with the smallest Q; leaves it in bi, bj. */
  private bestPair(): void {
    const { R, alive, born, act, len, sortedLen, rowG, rowStart, rowShift, tri, lowMask, lo } = this;
    const r = this.r;
    const rm2 = r - 2;
    const G = this.G;
    let qMin = Infinity;
    let qMinScaled = Infinity;
    let bi = -1;
    let bj = -1;
    for (let x = 0; x < r; x++) {
      const a = act[x]!;
      const base = rowStart[a]!;
      const ra = R[a]!;
      const ba = born[a]!;
      const triA = tri[a]!;
      // Entries hold key + shift: compare them with the limit shifted alike.
      const offset = ra / rm2 + (G - rowG[a]!) + this.slack + rowShift[a]!;
      let limit = qMinScaled + offset;
      const end = base + len[a]!;
      let sortedEnd = base + sortedLen[a]!;
      for (let k = base; k < end; k++) {
        if (k === sortedEnd) {
          this.extendRow(a);
          sortedEnd = base + sortedLen[a]!;
        }
        if (this.arena[k]! > limit) break;
        const c = this.words[2 * k + lo]! & lowMask;
        if (alive[c] === 0 || born[c]! >= ba) continue;
        const dac = a > c ? this.D[triA + c]! : this.D[tri[c]! + a]!;
        const q = rm2 * dac - ra - R[c]!;
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
    const { D, R, act, alive, tri } = this;
    const rm2 = this.r - 2;
    const dab = this.d(a, b);
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
      const ak = a > k ? tri[a]! + k : tri[k]! + a;
      const dak = D[ak]!;
      const dbk = b > k ? D[tri[b]! + k]! : D[tri[k]! + b]!;
      const duk = (dak + dbk - dab) / 2;
      const before = R[k]! / rm2;
      R[k] = R[k]! - dak - dbk + duk;
      const g = R[k]! / newRm2 - before;
      if (g > growth) growth = g;
      D[ak] = duk;
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
    const { R, act, born, older } = this;
    const r = this.r;
    for (let x = 0; x < r; x++) {
      const a = act[x]!;
      let s = 0;
      for (let y = 0; y < r; y++) {
        const c = act[y]!;
        if (c !== a) s += this.d(a, c);
      }
      R[a] = s;
    }
    // Rows are made from D, never from old rows: the arena starts over.
    this.top = 0;
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

  /** Row a over the slots in older[0..count), appended to the arena: keys computed now, the smallest chunk sorted. */
  private buildRow(a: number, count: number): void {
    const { R, older, pack, packWords, lowMask, lo } = this;
    if (this.top + count > this.arena.length) this.growArena(this.top + count);
    const { arena } = this;
    const base = this.top;
    this.top += count;
    const rm2 = Math.max(1, this.r - 2);
    let low = 0;
    for (let k = 0; k < count; k++) {
      const c = older[k]!;
      const v = this.d(a, c) - R[c]! / rm2;
      arena[base + k] = v;
      if (v < low) low = v;
    }
    const shift = this.shiftBase - low;
    for (let k = 0; k < count; k++) {
      pack[0] = arena[base + k]! + shift;
      packWords[lo] = ((packWords[lo]! & ~lowMask) | older[k]!) >>> 0;
      arena[base + k] = pack[0]!;
    }
    this.rowShift[a] = shift;
    this.rowStart[a] = base;
    this.len[a] = count;
    this.sortedLen[a] = 0;
    this.rowG[a] = this.G;
    this.extendRow(a);
  }

  /** A bigger arena, kept entries copied (the size arenaSize gives is meant to make this never happen). */
  private growArena(needed: number): void {
    const bigger = new Float64Array(Math.max(needed, Math.ceil(this.arena.length * 1.25)));
    bigger.set(this.arena.subarray(0, this.top));
    this.arena = bigger;
    this.words = new Uint32Array(bigger.buffer);
  }

  /**
   * Sort the next chunk of row a (twice the sorted prefix, at least FIRST_CHUNK). Rows are sorted lazily because
   * scans stop after a handful of entries. Entries pack the column index into the low mantissa bits of the shifted,
   * non-negative key, so one numeric comparison orders (key, column); the value is the shifted key to within slack.
   */
  private extendRow(a: number): void {
    const base = this.rowStart[a]!;
    const s = this.sortedLen[a]!;
    const m = this.len[a]! - s;
    if (m <= 0) return;
    const chunk = Math.min(m, Math.max(FIRST_CHUNK, s));
    const rest = this.arena.subarray(base + s, base + s + m);
    if (chunk < m) selectSmallest(rest, m, chunk);
    if (chunk <= 32) insertionSort(rest, chunk);
    else rest.subarray(0, chunk).sort();
    this.sortedLen[a] = s + chunk;
  }
}

/**
 * Entries the arena needs: the n(n-1)/2 pairs of the first build, plus the row of each node joined before the first
 * rebuild (r - 1 entries after the join that leaves r nodes); later phases are smaller.
 */
function arenaSize(n: number): number {
  let size = (n * (n - 1)) / 2;
  const rebuildAt = Math.floor(n * 0.7);
  for (let r = n - 1; r > rebuildAt && r > 3; r--) size += r - 1;
  return Math.max(size, 1);
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
