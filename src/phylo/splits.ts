// Bipartitions (splits) of an unrooted tree and the Robinson-Foulds distance (Robinson & Foulds 1981), as
// phangorn's RF.dist: the number of splits in one tree and not the other, normalized by 2(n-3).
import { InputError } from '../core/errors.js';
import type { Tree, TreeNode } from './tree.js';
import { leafLabels, postorder, preorder } from './traverse.js';

/**
 * A non-trivial split. `leaves` is its smaller side, sorted (on a tie, the side without the alphabetically first
 * leaf); `key` identifies the split among trees with the same leaves. `length` and `support` are those of the branch
 * that makes it (for a degree-2 root, the two root branches are one split: lengths summed).
 */
export interface Split {
  readonly key: string;
  readonly leaves: readonly string[];
  readonly length?: number;
  readonly support?: number;
}

/** Leaves as bit positions in sorted label order; throws on duplicate or missing labels. */
export function leafIndex(tree: Tree, what = 'tree'): Map<string, number> {
  const labels = leafLabels(tree);
  const sorted = [...labels].sort();
  const index = new Map<string, number>();
  for (const l of sorted) {
    if (l === '') throw new InputError(`${what}: a leaf has no label; every leaf needs a unique name`);
    if (index.has(l)) throw new InputError(`${what}: leaf label "${l}" appears twice; leaf labels must be unique`);
    index.set(l, index.size);
  }
  return index;
}

export interface SplitBits {
  readonly bits: Uint32Array;
  readonly key: string;
  readonly node: TreeNode;
  length?: number;
  support?: number;
}

/** A compact string key for a bitset: its 16-bit halves as UTF-16 code units (one flat string, little GC). */
export function bitKey(bits: Uint32Array): string {
  const units = new Uint16Array(bits.buffer, bits.byteOffset, bits.length * 2);
  let s = '';
  for (let k = 0; k < units.length; k += 8192) s += String.fromCharCode(...units.subarray(k, k + 8192));
  return s;
}

export function popcount(bits: Uint32Array): number {
  let c = 0;
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w]!;
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    c += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return c;
}

/** The leaf set below each node, as bitsets over `index`. */
export function cladeBits(tree: Tree, index: ReadonlyMap<string, number>): Map<TreeNode, Uint32Array> {
  const words = (index.size + 31) >>> 5;
  const below = new Map<TreeNode, Uint32Array>();
  for (const n of postorder(tree.root)) {
    const bits = new Uint32Array(words);
    if (n.children.length === 0) {
      const i = index.get(n.name ?? '');
      if (i === undefined) throw new InputError(`leaf "${n.name ?? ''}" is not among the compared leaves`);
      bits[i >>> 5]! |= 1 << (i & 31);
    } else {
      for (const c of n.children) {
        const cb = below.get(c)!;
        for (let w = 0; w < words; w++) bits[w]! |= cb[w]!;
      }
    }
    below.set(n, bits);
  }
  return below;
}

/** The canonical side of a split given one side (the side without leaf 0), as a new bitset. */
export function canonicalSide(side: Uint32Array, n: number): Uint32Array {
  const bits = new Uint32Array(side);
  if (bits[0]! & 1) {
    const words = bits.length;
    for (let w = 0; w < words; w++) bits[w] = ~bits[w]!;
    const extra = words * 32 - n;
    if (extra > 0) bits[words - 1]! &= 0xffffffff >>> extra;
  }
  return bits;
}

/**
 * Non-trivial splits as canonical bitsets (side without leaf 0), one per split in preorder, with length and support.
 */
export function splitBits(tree: Tree, index: ReadonlyMap<string, number>): SplitBits[] {
  const n = index.size;
  const below = cladeBits(tree, index);
  const seen = new Map<string, SplitBits>();
  const out: SplitBits[] = [];
  for (const node of preorder(tree.root)) {
    if (node === tree.root) continue;
    const clade = below.get(node)!;
    const bits = canonicalSide(clade, n);
    const size = popcount(bits);
    if (size <= 1 || size >= n - 1) continue;
    const key = bitKey(bits);
    const prev = seen.get(key);
    if (prev) {
      // The two branches at a degree-2 root make one split.
      if (node.length !== undefined) prev.length = (prev.length ?? 0) + node.length;
      if (prev.support === undefined) prev.support = node.support;
      continue;
    }
    const s: SplitBits = { bits, key, node, length: node.length, support: node.support };
    seen.set(key, s);
    out.push(s);
  }
  return out;
}

function toSplit(s: SplitBits, labels: readonly string[]): Split {
  const inside: string[] = [];
  const outside: string[] = [];
  for (let i = 0; i < labels.length; i++) (s.bits[i >>> 5]! & (1 << (i & 31)) ? inside : outside).push(labels[i]!);
  // Show the smaller side (the canonical side on a tie): easier to read, and still one side per split.
  const leaves = outside.length < inside.length ? outside : inside;
  const out: { key: string; leaves: string[]; length?: number; support?: number } = {
    key: leaves.join('\u0000'),
    leaves,
  };
  if (s.length !== undefined) out.length = s.length;
  if (s.support !== undefined) out.support = s.support;
  return out;
}

/** The non-trivial bipartitions of the tree, read as unrooted. */
export function splitsOf(tree: Tree): Split[] {
  const index = leafIndex(tree);
  const labels = [...index.keys()];
  return splitBits(tree, index).map((s) => toSplit(s, labels));
}

function sameLeaves(a: Tree, b: Tree): Map<string, number> {
  const ia = leafIndex(a, 'first tree');
  const ib = leafIndex(b, 'second tree');
  const onlyA = [...ia.keys()].filter((l) => !ib.has(l));
  const onlyB = [...ib.keys()].filter((l) => !ia.has(l));
  if (onlyA.length > 0 || onlyB.length > 0) {
    const show = (xs: string[]) =>
      xs.length === 0
        ? 'none'
        : xs
            .slice(0, 5)
            .map((x) => `"${x}"`)
            .join(', ') + (xs.length > 5 ? ` and ${xs.length - 5} more` : '');
    throw new InputError(
      `the trees have different leaves (only in the first: ${show(onlyA)}; only in the second: ${show(onlyB)}); ` +
        `compare trees of the same models`,
    );
  }
  return ia;
}

export interface SplitComparison {
  readonly onlyA: Split[];
  readonly onlyB: Split[];
  readonly shared: Split[];
}

/** Splits in A only, in B only, and in both (lengths and support as in A for shared ones). */
export function compareSplits(a: Tree, b: Tree): SplitComparison {
  const index = sameLeaves(a, b);
  const labels = [...index.keys()];
  const sa = splitBits(a, index);
  const sb = splitBits(b, index);
  const keysB = new Set(sb.map((s) => s.key));
  const keysA = new Set(sa.map((s) => s.key));
  return {
    onlyA: sa.filter((s) => !keysB.has(s.key)).map((s) => toSplit(s, labels)),
    onlyB: sb.filter((s) => !keysA.has(s.key)).map((s) => toSplit(s, labels)),
    shared: sa.filter((s) => keysB.has(s.key)).map((s) => toSplit(s, labels)),
  };
}

/** Unrooted Robinson-Foulds distance; `max` = 2(n-3), `normalized` = rf / max (0 when max is 0). */
export function robinsonFoulds(a: Tree, b: Tree): { rf: number; normalized: number; max: number } {
  const index = sameLeaves(a, b);
  const ka = new Set(splitBits(a, index).map((s) => s.key));
  const kb = new Set(splitBits(b, index).map((s) => s.key));
  let rf = 0;
  for (const k of ka) if (!kb.has(k)) rf++;
  for (const k of kb) if (!ka.has(k)) rf++;
  const max = Math.max(0, 2 * (index.size - 3));
  return { rf, normalized: max === 0 ? 0 : rf / max, max };
}
