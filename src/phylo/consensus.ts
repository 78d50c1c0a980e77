// Majority-rule consensus (Margush & McMorris 1981): the splits found in more than half of the trees, which are
// always mutually compatible, assembled into one (possibly multifurcating) unrooted tree.
import { InputError } from '../core/errors.js';
import { leafIndex, popcount, splitBits } from './splits.js';
import type { Tree, TreeNode } from './tree.js';
import { preorder } from './traverse.js';

/**
 * Support on each internal branch is the fraction of trees holding its split; branch lengths are the mean over the
 * trees that hold the split (leaf branches: the mean over all trees, when they have lengths).
 */
export function majorityRuleConsensus(trees: readonly Tree[]): Tree {
  if (trees.length === 0) throw new InputError('majority-rule consensus needs at least one tree');
  const index = leafIndex(trees[0]!, 'tree 1');
  const labels = [...index.keys()];
  const n = labels.length;
  const words = (n + 31) >>> 5;
  const found = new Map<string, { bits: Uint32Array; count: number; lengthSum: number; lengthCount: number }>();
  const leafLength = new Float64Array(n);
  const leafLengthCount = new Int32Array(n);
  trees.forEach((t, k) => {
    const other = leafIndex(t, `tree ${k + 1}`);
    if (other.size !== n || labels.some((l) => !other.has(l)))
      throw new InputError(`tree ${k + 1} has other leaves than tree 1; consensus needs trees of the same models`);
    for (const s of splitBits(t, index)) {
      const f = found.get(s.key) ?? { bits: s.bits, count: 0, lengthSum: 0, lengthCount: 0 };
      f.count++;
      if (s.length !== undefined) {
        f.lengthSum += s.length;
        f.lengthCount++;
      }
      found.set(s.key, f);
    }
    for (const node of preorder(t.root)) {
      if (node.children.length === 0 && node.length !== undefined) {
        const i = index.get(node.name!)!;
        leafLength[i] = leafLength[i]! + node.length;
        leafLengthCount[i]!++;
      }
    }
  });

  // Majority splits as clusters on the side away from leaf 0, nested largest first.
  const kept = [...found.values()].filter((f) => f.count * 2 > trees.length);
  const sized = kept.map((f) => ({ ...f, size: popcount(f.bits) })).sort((a, b) => b.size - a.size);
  const contains = (outer: Uint32Array, inner: Uint32Array): boolean => {
    for (let w = 0; w < words; w++) if ((inner[w]! & ~outer[w]!) !== 0) return false;
    return true;
  };
  const parentOf = new Int32Array(sized.length).fill(-1);
  for (let k = 0; k < sized.length; k++) {
    for (let p = k - 1; p >= 0; p--) {
      if (sized[p]!.size > sized[k]!.size && contains(sized[p]!.bits, sized[k]!.bits)) {
        parentOf[k] = p;
        break;
      }
    }
  }
  const childClusters: number[][] = sized.map(() => []);
  const rootClusters: number[] = [];
  parentOf.forEach((p, k) => {
    (p >= 0 ? childClusters[p]! : rootClusters).push(k);
  });
  // Each leaf hangs from the smallest cluster holding it: the cluster's bits minus its child clusters' bits
  // (the root takes the leaves in no cluster).
  const directLeaves = (bits: Uint32Array, children: readonly number[]): number[] => {
    const rest = new Uint32Array(bits);
    for (const c of children) for (let w = 0; w < words; w++) rest[w] = rest[w]! & ~sized[c]!.bits[w]!;
    const out: number[] = [];
    for (let w = 0; w < words; w++) {
      let v = rest[w]!;
      while (v !== 0) {
        const low = v & -v;
        out.push(w * 32 + 31 - Math.clz32(low));
        v = (v ^ low) >>> 0;
      }
    }
    return out;
  };
  const all = new Uint32Array(words);
  for (let i = 0; i < n; i++) all[i >>> 5]! |= 1 << (i & 31);
  const childLeaves = sized.map((f, k) => directLeaves(f.bits, childClusters[k]!));
  const rootLeaves = directLeaves(all, rootClusters);

  const leaf = (i: number): TreeNode => {
    const out: { name: string; length?: number; children: TreeNode[] } = { name: labels[i]!, children: [] };
    if (leafLengthCount[i]! > 0) out.length = leafLength[i]! / leafLengthCount[i]!;
    return out;
  };
  // Smaller clusters first, so each cluster's children are built before it (no recursion on deep trees).
  const built: TreeNode[] = new Array(sized.length);
  for (let k = sized.length - 1; k >= 0; k--) {
    const f = sized[k]!;
    const out: { length?: number; support: number; children: TreeNode[] } = {
      support: f.count / trees.length,
      children: [...childLeaves[k]!.map(leaf), ...childClusters[k]!.map((c) => built[c]!)],
    };
    if (f.lengthCount > 0) out.length = f.lengthSum / f.lengthCount;
    built[k] = out;
  }
  return { root: { children: [...rootLeaves.map(leaf), ...rootClusters.map((c) => built[c]!)] }, rooted: false };
}
