// Jensen-Shannon distance between allele distributions, per gene: the alternative to Nei's D for the alleles signal
// (bounded in [0, 1], defined when two models share no allele).
import { jensenShannonDistance } from './jensen-shannon.js';
import { emptyStack, forEachPresentPair, pairCount, type ProbeDistanceStack } from './probe-stack.js';
import type { AlleleFrequencies } from '../phenotype/alleles.js';

export function jensenShannonStack(af: AlleleFrequencies): ProbeDistanceStack {
  const n = af.models.length;
  const pairs = pairCount(n);
  const stack = emptyStack(af.models, af.genes, 'alleles', 'jensen-shannon');
  for (let g = 0; g < af.genes.length; g++) {
    forEachPresentPair(n, af.frequencies[g]!, g * pairs, (k, x, y) => {
      stack.distances[k] = jensenShannonDistance(x, y);
      stack.present[k] = 1;
    });
  }
  return stack;
}
