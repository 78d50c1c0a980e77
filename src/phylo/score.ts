// How well a tree or a distance matrix recovers known model families: are families clades (monophyly on the
// unrooted tree), and is each model's nearest neighbour from its own family (1-NN accuracy, as in PhyloLM's
// family-recovery checks, Yax et al. 2024).
import type { DistanceMatrix } from '../core/matrix.js';
import { bitKey, cladeBits, leafIndex, popcount } from './splits.js';
import type { Tree } from './tree.js';

export interface FamilyClade {
  readonly family: string;
  /** Members present in the tree, sorted. */
  readonly members: readonly string[];
  /** The members are exactly one side of some branch of the unrooted tree (or all of its leaves). */
  readonly isClade: boolean;
}

/** Per family with at least two members in the tree (families: model -> family), sorted by family name. */
export function familyClades(tree: Tree, families: ReadonlyMap<string, string>): FamilyClade[] {
  const index = leafIndex(tree);
  const n = index.size;
  const words = (n + 31) >>> 5;
  const sides = new Set<string>();
  for (const [node, bits] of cladeBits(tree, index)) {
    if (node === tree.root) continue;
    sides.add(bitKey(bits));
    const complement = new Uint32Array(words);
    for (let w = 0; w < words; w++) complement[w] = ~bits[w]!;
    const extra = words * 32 - n;
    if (extra > 0) complement[words - 1]! &= 0xffffffff >>> extra;
    sides.add(bitKey(complement));
  }
  const byFamily = new Map<string, string[]>();
  for (const leaf of index.keys()) {
    const f = families.get(leaf);
    if (f === undefined) continue;
    const list = byFamily.get(f) ?? [];
    list.push(leaf);
    byFamily.set(f, list);
  }
  const out: FamilyClade[] = [];
  for (const family of [...byFamily.keys()].sort()) {
    const members = byFamily.get(family)!.sort();
    if (members.length < 2) continue;
    const bits = new Uint32Array(words);
    for (const m of members) {
      const i = index.get(m)!;
      bits[i >>> 5]! |= 1 << (i & 31);
    }
    const isClade = popcount(bits) === n || sides.has(bitKey(bits));
    out.push({ family, members, isClade });
  }
  return out;
}

export interface NearestNeighbourCall {
  readonly model: string;
  readonly family: string;
  /** Every labelled model at the smallest distance (more than one on ties). */
  readonly nearest: readonly string[];
  readonly distance: number;
  readonly correct: boolean;
}

export interface NearestNeighbourResult {
  readonly correct: number;
  /** Models scored: those whose family has at least two members in the matrix. */
  readonly total: number;
  /** correct / total, 0 when nothing could be scored. */
  readonly accuracy: number;
  readonly calls: readonly NearestNeighbourCall[];
}

/**
 * 1-nearest-neighbour family accuracy. Only models with a known family take part (as scored models and as
 * neighbours); a model is scored when its family has another member in the matrix. Ties: correct only if every model
 * at the smallest distance shares the family.
 */
export function nearestNeighbourAccuracy(
  matrix: DistanceMatrix,
  families: ReadonlyMap<string, string>,
): NearestNeighbourResult {
  const n = matrix.labels.length;
  const known: number[] = [];
  const size = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const f = families.get(matrix.labels[i]!);
    if (f === undefined) continue;
    known.push(i);
    size.set(f, (size.get(f) ?? 0) + 1);
  }
  const calls: NearestNeighbourCall[] = [];
  for (const i of known) {
    const family = families.get(matrix.labels[i]!)!;
    if (size.get(family)! < 2) continue;
    let best = Infinity;
    let nearest: number[] = [];
    for (const j of known) {
      if (j === i) continue;
      const d = matrix.values[i * n + j]!;
      if (d < best) {
        best = d;
        nearest = [j];
      } else if (d === best) {
        nearest.push(j);
      }
    }
    const names = nearest.map((j) => matrix.labels[j]!);
    calls.push({
      model: matrix.labels[i]!,
      family,
      nearest: names,
      distance: best,
      correct: names.every((x) => families.get(x) === family),
    });
  }
  const correct = calls.filter((c) => c.correct).length;
  return { correct, total: calls.length, accuracy: calls.length === 0 ? 0 : correct / calls.length, calls };
}
