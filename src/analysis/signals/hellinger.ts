// The hellinger signal: logprob genes at many positions (one probe per cut of a held-out text,
// probes/lab-positions.yaml) compared by squared Hellinger distance on the partition of tokens both models list,
// mean over positions.
import type { RunData } from '../../core/run.js';
import { emptyStack, forEachPresentPair, pairCount, type ProbeDistanceStack } from '../../distance/probe-stack.js';
import { OTHER_TOKEN, type LogprobProfile, type TokenDistribution } from '../../phenotype/logprob-profile.js';
import type { ResponseTable } from '../../phenotype/responses.js';
import { TOP_LOGPROBS } from '../run-needs.js';
import type { SignalModel } from '../signal-model.js';
import { logprobSignalModel } from './logprobs.js';
import type { SignalDefinition } from './definition.js';

/**
 * Squared Hellinger distance, 1 - BC (Bhattacharyya coefficient), between two top-k distributions coarsened to one
 * partition both can be read on: each token both list; each token one lists when the other's list is complete (no
 * tail, so its probability there is known to be 0); and one tail cell with the rest (the unlisted mass, and tokens
 * one side lists whose probability under the other is unknown, somewhere in its tail). A plain divergence over the
 * union reads such a token as probability 0 on the side that merely did not list it. Coarsening can only shrink a
 * divergence (data processing), so this is a lower bound of the full-vocabulary value.
 * Why Hellinger: for nearby distributions 1 - BC ~ Fisher distance^2 / 8, so small independent changes along the
 * branches of a training tree add up along paths in expectation (an additive tree metric, what NJ/BIONJ assume);
 * it is bounded in [0, 1] and needs no logarithm of near-zero tails. (Jensen-Shannon agrees to first order.)
 */
export function coarseHellinger(x: TokenDistribution, y: TokenDistribution): number {
  const xOpen = (x.get(OTHER_TOKEN) ?? 0) > 0;
  const yOpen = (y.get(OTHER_TOKEN) ?? 0) > 0;
  let bc = 0;
  let tailX = 0;
  let tailY = 0;
  for (const [token, p] of x) {
    if (token === OTHER_TOKEN) tailX += p;
    else {
      const q = y.get(token);
      if (q !== undefined) bc += Math.sqrt(p * q);
      else if (yOpen) tailX += p; // unknown under y: into the shared tail
    }
  }
  for (const [token, q] of y) if (token === OTHER_TOKEN || (!x.has(token) && xOpen)) tailY += q;
  bc += Math.sqrt(Math.max(0, tailX * tailY));
  return Math.min(1, Math.max(0, 1 - bc));
}

/** Per-probe squared Hellinger distances of every pair of models with a distribution on that probe. */
export function hellingerStack(profile: LogprobProfile): ProbeDistanceStack {
  const n = profile.models.length;
  const pairs = pairCount(n);
  const stack = emptyStack(profile.models, profile.probes, 'hellinger', `hellinger2(top-${profile.k})`);
  for (let p = 0; p < profile.probes.length; p++) {
    const rows = profile.cells.slice(p * n, (p + 1) * n);
    forEachPresentPair(n, rows, p * pairs, (k, x, y) => {
      stack.distances[k] = coarseHellinger(x, y);
      stack.present[k] = 1;
    });
  }
  return stack;
}

const hellingerSignal = (data: RunData, table: ResponseTable): SignalModel =>
  logprobSignalModel('hellinger', data, table, hellingerStack);

/**
 * BIONJ, as for the logprobs signal (variance-weighted joins suit means over many positions). Not combinable: it
 * reads the same logprobs as the logprobs signal, which the combined signal already averages in.
 */
export const HELLINGER: SignalDefinition = {
  description:
    'top logprobs at many positions (one gene per cut), squared Hellinger on the tokens both list, mean over probes',
  needs: [TOP_LOGPROBS],
  defaultMethod: 'bionj',
  combinable: false,
  build: (c) => hellingerSignal(c.data, c.table),
};
