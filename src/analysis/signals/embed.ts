// The embed signal: per-probe embeddings of the answers (TF-IDF, or an embedding model's vectors), per-probe cosine
// distances, then nearest-neighbour votes or the plain mean over probes.
import { cosineStack, probeCosineDistances } from '../../distance/cosine.js';
import { NEAREST_ONLY, type NeighbourVotes } from '../../distance/rank-votes.js';
import { nearestNeighbourVoteStack, type ProbeDistanceSource } from '../../distance/vote-stack.js';
import { providerProbeEmbeddings, type TextEmbeddings } from '../../phenotype/provider-embeddings.js';
import type { ResponseTable } from '../../phenotype/responses.js';
import { DEFAULT_TFIDF, oneProbeTfIdf, probeTfIdf, tfidfName, type TfIdfOptions } from '../../phenotype/tfidf.js';
import { stackModel, voteModel, type SignalModel } from '../signal-model.js';
import type { SignalDefinition } from './definition.js';

/**
 * How the embed signal turns per-probe embeddings into one matrix:
 * - `nn-vote` (default): on each probe every model votes for its nearest response; d = 1 - mutual vote rate
 *   (src/distance/nearest-neighbour.ts). Scale-free per probe and per model, it recovers families best on real data.
 * - `cosine`: the plain mean of per-probe cosine distances (the naive baseline).
 */
type PerProbeDistance = 'nn-vote' | 'cosine';

export interface EmbedOptions {
  readonly tfidf: TfIdfOptions;
  readonly perProbe: PerProbeDistance;
  /** For `nn-vote`: how many nearest answers share a model's vote on a probe, and how (default: DEFAULT_EMBED's). */
  readonly votes?: NeighbourVotes;
  /** Provider embeddings of the run's texts (src/analysis/provider-embeddings.ts); when given they replace TF-IDF. */
  readonly provider?: TextEmbeddings;
}

export const DEFAULT_EMBED: EmbedOptions & { readonly votes: NeighbourVotes } = {
  tfidf: DEFAULT_TFIDF,
  perProbe: 'nn-vote',
  votes: NEAREST_ONLY,
};

function embedSignal(table: ResponseTable, options: EmbedOptions = DEFAULT_EMBED): SignalModel {
  const t0 = performance.now();
  const info = (metric: string) => ({
    signal: 'embed',
    metric,
    probes: table.probes.length,
    seconds: (performance.now() - t0) / 1000,
  });
  if (options.perProbe === 'nn-vote') {
    // One probe at a time (embeddings, distances, votes), so a big run never holds every probe's distances.
    const source = probeCosineSource(table, options);
    const votes = nearestNeighbourVoteStack(source, undefined, options.votes ?? DEFAULT_EMBED.votes);
    return voteModel(votes, info(votes.metric));
  }
  const embeddings = options.provider
    ? providerProbeEmbeddings(table, options.provider.vectors, options.provider.name)
    : probeTfIdf(table, options.tfidf);
  const stack = cosineStack(embeddings, 'embed');
  return stackModel(stack, info(stack.metric));
}

/** Per-probe cosine distances of the answers' TF-IDF (or provider) vectors, made when a probe is asked for. */
function probeCosineSource(table: ResponseTable, options: EmbedOptions): ProbeDistanceSource {
  const n = table.models.length;
  const provider = options.provider
    ? providerProbeEmbeddings(table, options.provider.vectors, options.provider.name)
    : undefined;
  const vectorsOf = (p: number) =>
    provider
      ? { vectors: provider.vectors.slice(p * n, (p + 1) * n), dim: provider.dims[p]! }
      : oneProbeTfIdf(table, p, options.tfidf);
  let scratch = new Float64Array(1024);
  return {
    labels: table.models,
    probes: table.probes.map((q) => String(q.id)),
    signal: 'embed',
    metric: `cosine(${provider ? provider.name : tfidfName(options.tfidf)})`,
    fill: (p, distances, present, answered) => {
      const { vectors, dim } = vectorsOf(p);
      if (scratch.length < dim) scratch = new Float64Array(dim * 2);
      for (let m = 0; m < n; m++) if (vectors[m]) answered[m] = 1;
      probeCosineDistances(vectors, scratch, distances, present, 0);
    },
  };
}

/**
 * Nearest-neighbour vote distances are a similarity (most unrelated pairs sit at 1), not an additive tree metric, and
 * average linkage (UPGMA) groups them best: 13 of 14 AlpacaEval families against 12 for NJ and BIONJ (BME also gets
 * 13 but costs 0.7 s a tree).
 */
export const EMBED: SignalDefinition = {
  description: 'what the answers say: TF-IDF (or embedding-model) vectors per probe, nearest-neighbour votes',
  needs: [],
  defaultMethod: 'upgma',
  combinable: true,
  build: (c) => embedSignal(c.table, c.options.embed ?? DEFAULT_EMBED),
};
