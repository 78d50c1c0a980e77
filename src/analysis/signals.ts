// The signals an analysis can build a tree from, each as a function from bootstrap weights over probes to a distance
// matrix. Phenotypes and per-probe distances are computed once here; a replicate only re-weights them.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { alleleFrequencies, hasRepeatedSamples } from '../phenotype/alleles.js';
import type { ResponseTable } from '../phenotype/responses.js';
import { DEFAULT_TFIDF, probeTfIdf, type TfIdfOptions } from '../phenotype/tfidf.js';
import { providerProbeEmbeddings, type TextEmbeddings } from '../phenotype/provider-embeddings.js';
import { traitProfile, weightedTraitMeans } from '../phenotype/trait-profile.js';
import { TRAITS } from '../phenotype/traits.js';
import { combineMatrices } from '../distance/combine.js';
import { cosineStack } from '../distance/cosine.js';
import { nearestNeighbourVotes } from '../distance/nearest-neighbour.js';
import { geneIdentities, neiDistance } from '../distance/nei.js';
import { averageOverProbes, upperTriangle, type ProbeDistanceStack } from '../distance/probe-stack.js';
import { standardizedEuclidean } from '../distance/std-euclidean.js';
import { jensenShannonStack } from '../distance/allele-jensen-shannon.js';
import { logprobStack, type LogprobMetric } from '../distance/logprob-jensen-shannon.js';
import { hasTopLogprobs, logprobProfile } from '../phenotype/logprob-profile.js';
import type { RunData } from '../core/run.js';

export type Signal = 'embed' | 'traits' | 'alleles' | 'logprobs' | 'combined';
export const SIGNALS: readonly Signal[] = ['embed', 'traits', 'alleles', 'logprobs', 'combined'];
/** The signals computed from response text, which every run has (logprobs need a run collected with them). */
export const TEXT_SIGNALS: readonly Signal[] = ['embed', 'traits', 'alleles', 'combined'];

/**
 * How the embed signal turns per-probe embeddings into one matrix:
 * - `nn-vote` (default): on each probe every model votes for its nearest response; d = 1 - mutual vote rate
 *   (src/distance/nearest-neighbour.ts). Scale-free per probe and per model, it recovers families best on real data.
 * - `cosine`: the plain mean of per-probe cosine distances (the naive baseline).
 */
export type PerProbeDistance = 'nn-vote' | 'cosine';

export interface EmbedOptions {
  readonly tfidf: TfIdfOptions;
  readonly perProbe: PerProbeDistance;
  /** Provider embeddings of the run's texts (src/analysis/provider-embeddings.ts); when given they replace TF-IDF. */
  readonly provider?: TextEmbeddings;
}

export const DEFAULT_EMBED: EmbedOptions = { tfidf: DEFAULT_TFIDF, perProbe: 'nn-vote' };

export type AlleleMetric = 'nei' | 'js';

export interface SignalInfo {
  readonly signal: Signal;
  readonly metric: string;
  /** Probes (genes, for alleles) the signal uses. */
  readonly probes: number;
  readonly seconds: number;
  readonly note?: string;
}

/** One signal, ready to give a matrix for any weighting of the run's probes. */
export interface SignalModel {
  readonly info: SignalInfo;
  /** `weights[p]` over the response table's probes (a replicate's draw counts); undefined = every probe once. */
  matrix(weights?: ArrayLike<number>): DistanceMatrix;
}

function stackModel(stack: ProbeDistanceStack, info: SignalInfo): SignalModel {
  const full = averageOverProbes(stack);
  const fallback = upperTriangle(full);
  return { info, matrix: (w) => (w ? averageOverProbes(stack, w, fallback) : full) };
}

export function embedSignal(table: ResponseTable, options: EmbedOptions = DEFAULT_EMBED): SignalModel {
  const t0 = performance.now();
  const embeddings = options.provider
    ? providerProbeEmbeddings(table, options.provider.vectors, options.provider.name)
    : probeTfIdf(table, options.tfidf);
  const cosine = cosineStack(embeddings, 'embed');
  const stack = options.perProbe === 'nn-vote' ? nearestNeighbourVotes(cosine) : cosine;
  return stackModel(stack, {
    signal: 'embed',
    metric: stack.metric,
    probes: table.probes.length,
    seconds: (performance.now() - t0) / 1000,
  });
}

export function traitsSignal(table: ResponseTable): SignalModel {
  const t0 = performance.now();
  const profile = traitProfile(table);
  const n = table.models.length;
  const T = profile.traits.length;
  // Continuous and binary traits that apply somewhere; categorical codes have no distance (characters only).
  const columns: number[] = [];
  for (let t = 0; t < T; t++) {
    if (TRAITS[t]!.kind === 'categorical') continue;
    let applies = false;
    for (let m = 0; m < n && !applies; m++) applies = !Number.isNaN(profile.mean[m * T + t]!);
    if (applies) columns.push(t);
  }
  const info: SignalInfo = {
    signal: 'traits',
    metric: 'std-euclidean',
    probes: table.probes.length,
    seconds: (performance.now() - t0) / 1000,
    note: `${columns.length} traits: ${columns.map((t) => TRAITS[t]!.name).join(', ')}`,
  };
  const full = standardizedEuclidean(table.models, weightedTraitMeans(profile, columns), columns.length);
  return {
    info,
    matrix: (w) =>
      w ? standardizedEuclidean(table.models, weightedTraitMeans(profile, columns, w), columns.length) : full,
  };
}

export function allelesSignal(table: ResponseTable, metric: AlleleMetric = 'nei'): SignalModel {
  if (!hasRepeatedSamples(table)) {
    throw new InputError(
      'signal alleles needs probes sampled several times (PhyloLM-style genes); this run has one sample per probe: collect with --samples 8 or use --signal embed',
    );
  }
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

/** The first-token logprob signal (src/phenotype/logprob-profile.ts): mean Jensen-Shannon over probes. */
export function logprobsSignal(data: RunData, table: ResponseTable, metric: LogprobMetric = 'divergence'): SignalModel {
  if (!hasTopLogprobs(data)) {
    throw new InputError(
      `signal logprobs needs samples with top logprobs; run ${data.run.name} has none: collect with "phylo run --logprobs 20" from a provider that returns them (OpenAI, OpenAI-compatible, Ollama, lab) or use --signal embed`,
    );
  }
  const t0 = performance.now();
  const stack = logprobStack(logprobProfile(data, table), metric);
  return stackModel(stack, {
    signal: 'logprobs',
    metric: stack.metric,
    probes: table.probes.length,
    seconds: (performance.now() - t0) / 1000,
  });
}

export interface CombineWeights {
  readonly embed: number;
  readonly traits: number;
  readonly alleles: number;
  /** Used only when the run carries top logprobs; otherwise the signal is simply absent from the combination. */
  readonly logprobs: number;
}

export const DEFAULT_COMBINE_WEIGHTS: CombineWeights = { embed: 1, traits: 1, alleles: 1, logprobs: 1 };

/** Several signals as one: standardized, weighted average (src/distance/combine.ts). */
export function combinedSignal(
  parts: readonly SignalModel[],
  weights: CombineWeights = DEFAULT_COMBINE_WEIGHTS,
): SignalModel {
  const weightOf = (p: SignalModel) => weights[p.info.signal as keyof CombineWeights] ?? 0;
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
  };
}
