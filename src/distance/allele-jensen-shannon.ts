// Jensen-Shannon distance between allele distributions, per gene: the alternative to Nei's D for the alleles signal
// (bounded in [0, 1], defined when two models share no allele).
import { jensenShannonDistance } from './jensen-shannon.js';
import { emptyStack, pairCount, type ProbeDistanceStack } from './probe-stack.js';
import type { AlleleFrequencies } from '../phenotype/alleles.js';

export function jensenShannonStack(af: AlleleFrequencies): ProbeDistanceStack {
  const n = af.models.length;
  const pairs = pairCount(n);
  const stack = emptyStack(af.models, af.genes, 'alleles', 'jensen-shannon');
  for (let g = 0; g < af.genes.length; g++) {
    const f = af.frequencies[g]!;
    let k = g * pairs;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, k++) {
        const x = f[i];
        const y = f[j];
        if (!x || !y) continue;
        stack.distances[k] = jensenShannonDistance(x, y);
        stack.present[k] = 1;
      }
    }
  }
  return stack;
}
