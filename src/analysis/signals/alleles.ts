// The alleles signal (PhyloLM, Yax et al. 2024): a probe sampled several times is a gene, the first characters of an
// answer its allele; models differ by Nei's standard genetic distance (Nei 1972) or Jensen-Shannon per gene.
import { jensenShannonStack } from '../../distance/allele-jensen-shannon.js';
import { geneIdentities, neiDistance } from '../../distance/nei.js';
import { alleleFrequencies, hasRepeatedSamples } from '../../phenotype/alleles.js';
import type { ResponseTable } from '../../phenotype/responses.js';
import { InputError } from '../../core/errors.js';
import { REPEATED_SAMPLES } from '../run-needs.js';
import { stackModel, type SignalInfo, type SignalModel } from '../signal-model.js';
import type { SignalDefinition } from './definition.js';

export type AlleleMetric = 'nei' | 'js';

function allelesSignal(table: ResponseTable, metric: AlleleMetric = 'nei'): SignalModel {
  if (!hasRepeatedSamples(table)) throw new InputError(REPEATED_SAMPLES.missing('alleles'));
  const t0 = performance.now();
  const af = alleleFrequencies(table);
  const geneWeights = (w: ArrayLike<number>) => Float64Array.from(af.probeIndex, (p) => w[p]!);
  if (metric === 'js') {
    const stack = jensenShannonStack(af);
    const model = stackModel(stack, {
      signal: 'alleles',
      metric: stack.metric,
      probes: af.genes.length,
      seconds: (performance.now() - t0) / 1000,
    });
    return { info: model.info, matrix: (w) => model.matrix(w ? geneWeights(w) : undefined) };
  }
  const gi = geneIdentities(af);
  const full = neiDistance(gi);
  const info: SignalInfo = {
    signal: 'alleles',
    metric: 'nei',
    probes: af.genes.length,
    seconds: (performance.now() - t0) / 1000,
  };
  return { info, matrix: (w) => (w ? neiDistance(gi, geneWeights(w)) : full) };
}

/** Distance-like: neighbor joining, as PhyloLM does for Nei's D. */
export const ALLELES: SignalDefinition = {
  description: "PhyloLM genes: a probe's repeated answers as alleles, Nei's distance (or Jensen-Shannon) per gene",
  needs: [REPEATED_SAMPLES],
  defaultMethod: 'nj',
  combinable: true,
  build: (c) => allelesSignal(c.table, c.options.alleleMetric),
};
