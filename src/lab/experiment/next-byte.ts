// The noise-free phenotype: each model's exact next-byte distributions at every position of the suite's prefixes,
// computed in process (no sampling), compared by Jensen-Shannon divergence. The ceiling of any output-based signal.
import type { DistanceMatrix } from '../../core/matrix.js';
import { makeDistanceMatrix } from '../../core/matrix.js';
import { jensenShannonDivergence } from '../../distance/jensen-shannon.js';
import { buildTree, TREE_METHODS, type Tree } from '../../phylo/index.js';
import { loadCheckpoint } from '../checkpoint.js';
import { Decoder } from '../decode.js';
import type { Model } from '../model.js';
import { encode } from '../tokenizer.js';
import { scoreTree, type TreeScore } from './score.js';

/** Next-byte distributions of a model at the end of each prefix. */
export function nextByteDistributions(model: Model, prefixes: readonly string[]): Float64Array[] {
  const dec = new Decoder(model);
  const { vocab, ctx } = model.layout.config;
  return prefixes.map((p) => {
    dec.reset();
    const toks = Array.from(encode(p, vocab)).slice(-ctx);
    for (const t of toks.length > 0 ? toks : [10]) dec.push(t);
    let max = -Infinity;
    for (const l of dec.logits) max = Math.max(max, l);
    const out = new Float64Array(vocab);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += out[v] = Math.exp(dec.logits[v]! - max);
    for (let v = 0; v < vocab; v++) out[v]! /= sum;
    return out;
  });
}

/**
 * The noise-free phenotype: mean Jensen-Shannon divergence between two models' next-byte distributions at every
 * position of the suite's prefixes. No sampling is involved, so it is the ceiling of what any phenotype computed from
 * sampled text can see (it still sees outputs only, never weights).
 */
export async function nextByteScores(
  files: readonly string[],
  labels: readonly string[],
  prefixes: readonly string[],
  truth: Tree,
): Promise<{ scores: TreeScore[]; matrix: DistanceMatrix }> {
  const dists: Float64Array[][] = [];
  for (const f of files) {
    const { model } = await loadCheckpoint(f);
    const contexts = prefixes.flatMap((p) =>
      Array.from({ length: Math.min(p.length, model.layout.config.ctx) }, (_, i) => p.slice(0, i + 1)),
    );
    dists.push(nextByteDistributions(model, contexts));
  }
  const n = files.length;
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let js = 0;
      for (let k = 0; k < dists[i]!.length; k++) js += jensenShannonDivergence(dists[i]![k]!, dists[j]![k]!);
      values[i * n + j] = values[j * n + i] = js / dists[i]!.length;
    }
  }
  const m = makeDistanceMatrix(labels, values, 'next-byte', 'js');
  return {
    scores: TREE_METHODS.map((method) =>
      scoreTree(buildTree(method, m), truth, 'next-byte (noise-free)', 'js', method),
    ),
    matrix: m,
  };
}

/**
 * For each leaf, its nearest other leaf by a matrix: is it its sibling in the truth, does it share the last dataset?
 */
export function nearestLeafStats(
  m: DistanceMatrix,
  sibling: (a: string) => string | undefined,
  lastDataset: (a: string) => string,
): { sibling: number; sameLast: number; total: number } {
  const n = m.labels.length;
  let sib = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    for (let j = 0; j < n; j++) if (j !== i && (best < 0 || m.values[i * n + j]! < m.values[i * n + best]!)) best = j;
    if (sibling(m.labels[i]!) === m.labels[best]) sib++;
    if (lastDataset(m.labels[i]!) === lastDataset(m.labels[best]!)) same++;
  }
  return { sibling: sib, sameLast: same, total: n };
}
