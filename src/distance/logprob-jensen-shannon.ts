// Jensen-Shannon (Lin 1991) between two models' first-token distributions, per probe, into the per-probe stack: a
// bootstrap over probes then re-weights these numbers like any other signal's.
import { emptyStack, pairCount, type ProbeDistanceStack } from './probe-stack.js';
import type { LogprobProfile, TokenDistribution } from '../phenotype/logprob-profile.js';

/**
 * `divergence` (JS in bits, as the lab experiment measured it) or `distance` (its square root, a metric). Both in
 * [0, 1]; the divergence stretches large differences against small ones.
 */
export type LogprobMetric = 'divergence' | 'distance';

/** A distribution as token ids (ascending) and probabilities: what the merge below walks. */
export interface Sparse {
  readonly ids: Int32Array;
  readonly p: Float64Array;
}

function sparse(d: TokenDistribution, idOf: Map<string, number>): Sparse {
  const entries = [...d].map(([t, v]) => {
    let id = idOf.get(t);
    if (id === undefined) {
      id = idOf.size;
      idOf.set(t, id);
    }
    return [id, v] as const;
  });
  entries.sort((x, y) => x[0] - y[0]);
  return { ids: Int32Array.from(entries, (e) => e[0]), p: Float64Array.from(entries, (e) => e[1]) };
}

/**
 * JS divergence in bits of two sparse distributions that each sum to 1, by one merge over their sorted tokens (no
 * allocation: the stack holds n(n-1)/2 of these per probe). A token only one side has adds half its mass.
 */
export function sparseJensenShannon(x: Sparse, y: Sparse): number {
  let i = 0;
  let j = 0;
  let js = 0;
  while (i < x.ids.length || j < y.ids.length) {
    const a = i < x.ids.length ? x.ids[i]! : Infinity;
    const b = j < y.ids.length ? y.ids[j]! : Infinity;
    if (a === b) {
      const p = x.p[i++]!;
      const q = y.p[j++]!;
      const m = p + q;
      if (p > 0) js += 0.5 * p * Math.log2((2 * p) / m);
      if (q > 0) js += 0.5 * q * Math.log2((2 * q) / m);
    } else if (a < b) js += 0.5 * x.p[i++]!;
    else js += 0.5 * y.p[j++]!;
  }
  return Math.min(1, Math.max(0, js));
}

export function logprobStack(profile: LogprobProfile, metric: LogprobMetric = 'divergence'): ProbeDistanceStack {
  const n = profile.models.length;
  const pairs = pairCount(n);
  const stack = emptyStack(profile.models, profile.probes, 'logprobs', `js-${metric}(top-${profile.k})`);
  const rows: (Sparse | undefined)[] = new Array(n);
  for (let p = 0; p < profile.probes.length; p++) {
    const idOf = new Map<string, number>();
    for (let m = 0; m < n; m++) {
      const d = profile.cells[p * n + m];
      rows[m] = d ? sparse(d, idOf) : undefined;
    }
    let k = p * pairs;
    for (let i = 0; i < n; i++) {
      const x = rows[i];
      for (let j = i + 1; j < n; j++, k++) {
        const y = rows[j];
        if (x === undefined || y === undefined) continue;
        const js = sparseJensenShannon(x, y);
        stack.distances[k] = metric === 'distance' ? Math.sqrt(js) : js;
        stack.present[k] = 1;
      }
    }
  }
  return stack;
}
