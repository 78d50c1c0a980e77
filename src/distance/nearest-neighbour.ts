// Per-probe nearest-neighbour votes: on each probe every model names the model whose response is closest to its own,
// and the distance of a pair is 1 minus how often they name each other. It keeps only the order of distances within
// one model's view of one probe (the idea of shared-nearest-neighbour similarity, Jarvis & Patrick 1973), so a model
// whose answers are long or odd everywhere does not dominate the average, and each probe counts once per model.
import { emptyStack, pairCount, pairIndex, type ProbeDistanceStack } from './probe-stack.js';

/**
 * The votes of one probe: for each model i, the models at the smallest distance from i (ties within `tolerance`
 * share the vote), each given `share` = 1/2 divided among them. Pair k = pairIndex(n, i, j) is read at
 * `distances[offset + k]` where `present[offset + k]` is 1; a model with no other answer casts no vote.
 * Calls `vote(i, j, share)`.
 */
export function castVotes(
  n: number,
  distances: Float64Array,
  present: Uint8Array,
  offset: number,
  tolerance: number,
  vote: (i: number, j: number, share: number) => void,
): void {
  const nearest: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    nearest.length = 0;
    // j < i: pair (j, i) sits in row j, at offset + i - 1 for j = 0, then n - j - 2 further for each next j.
    let k = offset + i - 1;
    for (let j = 0; j < n; j++) {
      if (j === i) {
        // j > i: row i, contiguous from pairIndex(n, i, i + 1).
        k = offset + i * n - (i * (i + 1)) / 2;
        continue;
      }
      if (present[k] === 1) {
        const d = distances[k]!;
        if (d < best - tolerance) {
          best = d;
          nearest.length = 0;
          nearest.push(j);
        } else if (d <= best + tolerance) nearest.push(j);
      }
      k += j < i ? n - j - 2 : 1;
    }
    const share = 0.5 / nearest.length;
    for (const j of nearest) vote(i, j, share);
  }
}

/**
 * Turn per-probe distances into per-probe vote distances: for model i on probe p, the models at the smallest distance
 * from i (ties share the vote) get i's vote. d_p(i, j) = 1 - (vote_p(i -> j) + vote_p(j -> i)) / 2, in [0, 1].
 * Present where the original is present; a model with no other answer on the probe casts no vote. (The embed signal
 * keeps the same votes sparse: src/distance/vote-stack.ts.)
 */
export function nearestNeighbourVotes(stack: ProbeDistanceStack, tolerance = 1e-12): ProbeDistanceStack {
  const n = stack.labels.length;
  const pairs = pairCount(n);
  const out = emptyStack(stack.labels, stack.probes, stack.signal, `nn-vote(${stack.metric})`);
  out.present.set(stack.present);
  out.distances.fill(1);
  for (let p = 0; p < stack.probes.length; p++) {
    const o = p * pairs;
    castVotes(n, stack.distances, stack.present, o, tolerance, (i, j, share) => {
      out.distances[o + pairIndex(n, i, j)]! -= share;
    });
  }
  return out;
}
