// The combined signal: every other available signal, standardized and averaged with weights (src/distance/combine.ts).
import { InputError } from '../../core/errors.js';
import { combineMatrices } from '../../distance/combine.js';
import type { SignalModel } from '../signal-model.js';
import type { SignalDefinition } from './definition.js';

/** A weight per signal; a signal not named weighs DEFAULT_COMBINE_WEIGHT. */
export type CombineWeights = Readonly<Partial<Record<string, number>>>;

const DEFAULT_COMBINE_WEIGHT = 1;
export const DEFAULT_COMBINE_WEIGHTS: CombineWeights = {};

export function combineWeightOf(weights: CombineWeights, signal: string): number {
  return weights[signal] ?? DEFAULT_COMBINE_WEIGHT;
}

/** Several signals as one: standardized, weighted average. */
function combinedSignal(parts: readonly SignalModel[], weights: CombineWeights = DEFAULT_COMBINE_WEIGHTS): SignalModel {
  const weightOf = (p: SignalModel) => combineWeightOf(weights, p.info.signal);
  const used = parts.filter((p) => weightOf(p) > 0);
  if (used.length === 0)
    throw new InputError('signal combined: every signal has weight 0; give at least one a positive weight');
  return {
    info: {
      signal: 'combined',
      metric: `standardized(${used.map((p) => `${weightOf(p)}*${p.info.signal}`).join('+')})`,
      probes: Math.max(...used.map((p) => p.info.probes)),
      seconds: used.reduce((a, p) => a + p.info.seconds, 0),
    },
    matrix: (w) => combineMatrices(used.map((p) => ({ matrix: p.matrix(w), weight: weightOf(p) }))),
    parts: used,
  };
}

/** Dominated by the embed signal's vote distances, it is read like them: average linkage (UPGMA). */
export const COMBINED: SignalDefinition = {
  description: 'every other available signal, standardized and averaged (weights: --weights)',
  needs: [],
  defaultMethod: 'upgma',
  combinable: false,
  build: (c) => {
    const weights = c.options.combineWeights ?? DEFAULT_COMBINE_WEIGHTS;
    // Signals the run cannot give (alleles without repeated samples, logprobs without them) are simply absent.
    return combinedSignal(
      c.combinable.filter((s) => combineWeightOf(weights, s) > 0).map((s) => c.model(s)),
      weights,
    );
  },
};
