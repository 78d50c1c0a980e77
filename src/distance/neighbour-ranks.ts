// Neighbour ranks per probe: each model ranks the other answers to a probe by distance, and d_p(i, j) is the mean of
// the rank i gives j and the rank j gives i, scaled to [0, 1] (0: each is the other's nearest). Like the
// nearest-neighbour vote it is scale-free per model and probe, but every rank counts, not only the top
// (rank-based similarity, as in Houle et al. 2010's shared-neighbour ranks).
import { emptyStack, neighboursByDistance, pairCount, type ProbeDistanceStack } from './probe-stack.js';

/** Per-probe rank distances, present where the original is; tied distances share their average rank. */
export function neighbourRanks(stack: ProbeDistanceStack, tolerance = 1e-12): ProbeDistanceStack {
  const n = stack.labels.length;
  const pairs = pairCount(n);
  const out = emptyStack(stack.labels, stack.probes, stack.signal, `ranks(${stack.metric})`);
  out.present.set(stack.present);
  const rank = new Float64Array(n * n);
  const others: number[] = [];
  const d = new Float64Array(n);
  for (let p = 0; p < stack.probes.length; p++) {
    const o = p * pairs;
    for (let i = 0; i < n; i++) {
      neighboursByDistance(n, stack.distances, stack.present, o, i, d, others);
      const scale = Math.max(1, others.length - 1);
      for (let r = 0; r < others.length; ) {
        let end = r + 1;
        while (end < others.length && d[others[end]!]! <= d[others[r]!]! + tolerance) end++;
        const average = (r + end - 1) / 2 / scale;
        for (let t = r; t < end; t++) rank[i * n + others[t]!] = average;
        r = end;
      }
    }
    let k = o;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++, k++)
        if (stack.present[k]) out.distances[k] = (rank[i * n + j]! + rank[j * n + i]!) / 2;
  }
  return out;
}
