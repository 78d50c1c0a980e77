// Mutual k-nearest neighbours per probe: two models are neighbours on a probe when each is among the other's k
// nearest answers (the mutual k-NN graph, Gowda & Krishna 1978); d_p = 0 for such a pair, 1 otherwise. A stricter
// cousin of the nearest-neighbour vote (./nearest-neighbour.ts): a hub that many models are near counts only for the
// models it is near to in return.
import { emptyStack, neighboursByDistance, pairCount, pairIndex, type ProbeDistanceStack } from './probe-stack.js';

/** Per-probe mutual k-NN distances, present where the original is; ties at the k-th place are taken by model order. */
export function mutualNeighbours(stack: ProbeDistanceStack, k: number): ProbeDistanceStack {
  if (!Number.isInteger(k) || k < 1) throw new Error(`mutual neighbours: k = ${k}; use a whole number of at least 1`);
  const n = stack.labels.length;
  const pairs = pairCount(n);
  const out = emptyStack(stack.labels, stack.probes, stack.signal, `mutual${k}-nn(${stack.metric})`);
  out.present.set(stack.present);
  out.distances.fill(1);
  const near = Array.from({ length: n }, () => new Set<number>());
  const others: number[] = [];
  const d = new Float64Array(n);
  for (let p = 0; p < stack.probes.length; p++) {
    const o = p * pairs;
    for (let i = 0; i < n; i++) {
      neighboursByDistance(n, stack.distances, stack.present, o, i, d, others);
      near[i] = new Set(others.slice(0, k));
    }
    for (let i = 0; i < n; i++)
      for (const j of near[i]!) if (j > i && near[j]!.has(i)) out.distances[o + pairIndex(n, i, j)] = 0;
  }
  return out;
}
