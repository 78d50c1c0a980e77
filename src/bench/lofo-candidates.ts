// The candidate space of the leave-one-family-out benchmark (./lofo.ts): every way this code base can turn one answer
// per probe into a distance matrix. An embed candidate is a view of the answer (src/phenotype/views.ts) with a TF-IDF
// weighting, per-probe cosine distances, and a per-probe rule that turns them into the probe's distances (the plain
// cosine, nearest-neighbour votes to the k nearest, mutual k-NN, neighbour ranks), averaged over probes; ensembles
// average the matrices of several views under one rule; traits and their combination with embed close the list.
// The list was fixed before the selection ran, and the selection sees only the held-in families' labels.
import type { AnalysedRun } from '../analysis/analysed-run.js';
import { DEFAULT_EMBED } from '../analysis/signals/index.js';
import { makeDistanceMatrix, type DistanceMatrix } from '../core/matrix.js';
import { combineMatrices } from '../distance/combine.js';
import { probeCosineDistances } from '../distance/cosine.js';
import { mutualNeighbours } from '../distance/mutual-neighbours.js';
import { neighbourRanks } from '../distance/neighbour-ranks.js';
import {
  averageOverProbes,
  emptyStack,
  pairCount,
  upperTriangle,
  type ProbeDistanceStack,
} from '../distance/probe-stack.js';
import { rankVotes, type NeighbourVotes } from '../distance/rank-votes.js';
import type { FeatureOptions } from '../phenotype/features.js';
import type { ResponseTable } from '../phenotype/responses.js';
import { oneProbeTfIdf, tfidfName, type TfIdfOptions } from '../phenotype/tfidf.js';
import { viewTable, type TextView } from '../phenotype/views.js';

/** One matrix to build trees from, what made it, and its matrices on bootstrap replicates of the probes. */
export interface Candidate {
  readonly name: string;
  readonly matrix: DistanceMatrix;
  /** One matrix per draw of probe counts, the same draws for every candidate. */
  readonly replicates: readonly DistanceMatrix[];
}

interface ViewSpec {
  readonly name: string;
  readonly view: TextView;
  readonly tfidf: TfIdfOptions;
}

const words = (ngram: readonly [number, number], stopWords = false): FeatureOptions => ({
  kind: 'words',
  ngram,
  stopWords,
});
const tfidf = (features: FeatureOptions, tf: TfIdfOptions['tf'] = 'raw', idf: TfIdfOptions['idf'] = 'smooth') => ({
  features,
  tf,
  idf,
});

const VIEWS: readonly ViewSpec[] = [
  { name: 'words', view: 'whole', tfidf: tfidf(words([1, 1])) },
  { name: 'words sublinear', view: 'whole', tfidf: tfidf(words([1, 1]), 'sublinear') },
  { name: 'words binary', view: 'whole', tfidf: tfidf(words([1, 1]), 'binary') },
  { name: 'words bm25', view: 'whole', tfidf: tfidf(words([1, 1]), 'bm25') },
  { name: 'words no-idf', view: 'whole', tfidf: tfidf(words([1, 1]), 'raw', 'none') },
  { name: 'words 1-2', view: 'whole', tfidf: tfidf(words([1, 2])) },
  { name: 'content words', view: 'whole', tfidf: tfidf(words([1, 1], true)) },
  { name: 'word-punct', view: 'whole', tfidf: tfidf({ kind: 'word-punct', ngram: [1, 1], stopWords: false }) },
  { name: 'char 3-5', view: 'whole', tfidf: tfidf({ kind: 'char', ngram: [3, 5], stopWords: false }) },
  { name: 'opening', view: 'opening', tfidf: tfidf({ kind: 'word-punct', ngram: [1, 2], stopWords: false }) },
  { name: 'closing', view: 'closing', tfidf: tfidf({ kind: 'word-punct', ngram: [1, 2], stopWords: false }) },
  { name: 'layout', view: 'layout', tfidf: tfidf(words([1, 2])) },
  { name: 'function words', view: 'function-words', tfidf: tfidf(words([1, 1])) },
  { name: 'names-numbers', view: 'names-numbers', tfidf: tfidf(words([1, 1])) },
];

interface PerProbeRule {
  readonly name: string;
  readonly apply: (stack: ProbeDistanceStack) => ProbeDistanceStack;
}

const votes = (neighbours: number, weighting: NeighbourVotes['weighting']): PerProbeRule => ({
  name: neighbours === 1 ? 'nn-vote' : `nn-vote${neighbours}-${weighting}`,
  apply: (s) => rankVotes(s, { neighbours, weighting }),
});

const RULES: readonly PerProbeRule[] = [
  { name: 'cosine', apply: (s) => s },
  votes(1, 'flat'),
  votes(2, 'flat'),
  votes(3, 'flat'),
  votes(3, 'harmonic'),
  votes(5, 'harmonic'),
  { name: 'mutual2', apply: (s) => mutualNeighbours(s, 2) },
  { name: 'mutual3', apply: (s) => mutualNeighbours(s, 3) },
  { name: 'ranks', apply: (s) => neighbourRanks(s) },
];

/** Views averaged under one rule (the mean of their matrices, all on the same 0-1 scale). */
const ENSEMBLES: readonly (readonly string[])[] = [
  ['words', 'char 3-5'],
  ['words', 'word-punct', 'char 3-5'],
  ['words', 'words 1-2', 'word-punct', 'char 3-5'],
  ['words', 'opening', 'closing', 'layout'],
  ['content words', 'function words'],
];

/** The combined signal's partner views: embed of these (nn-vote and cosine) + traits, as `--signal combined` does. */
const COMBINED_WITH_TRAITS: readonly string[] = ['words', 'word-punct', 'char 3-5'];

/** Per-probe cosine distances of one view's TF-IDF vectors, a probe at a time (char n-grams never all in memory). */
function cosineStackOf(table: ResponseTable, options: TfIdfOptions): ProbeDistanceStack {
  const n = table.models.length;
  const pairs = pairCount(n);
  const probes = table.probes.map((p) => String(p.id));
  const stack = emptyStack(table.models, probes, 'embed', `cosine(${tfidfName(options)})`);
  let scratch = new Float64Array(4096);
  for (let p = 0; p < probes.length; p++) {
    const { vectors, dim } = oneProbeTfIdf(table, p, options);
    if (scratch.length < dim) scratch = new Float64Array(dim * 2);
    probeCosineDistances(vectors, scratch, stack.distances, stack.present, p * pairs);
  }
  return stack;
}

function meanOf(name: string, parts: readonly DistanceMatrix[]): DistanceMatrix {
  const first = parts[0]!;
  const values = new Float64Array(first.values.length);
  for (const m of parts) for (let i = 0; i < values.length; i++) values[i]! += m.values[i]! / parts.length;
  return makeDistanceMatrix(first.labels, values, 'embed', name);
}

export const embedName = (view: string, rule: string) => `embed ${view} ${rule}`;

/** The name the incumbent default (src/analysis/signals/embed.ts) has in this list. */
export function defaultCandidateName(): string {
  const view = VIEWS.find((v) => v.view === 'whole' && tfidfName(v.tfidf) === tfidfName(DEFAULT_EMBED.tfidf));
  const votes = DEFAULT_EMBED.votes;
  const rule = votes.neighbours === 1 ? 'nn-vote' : `nn-vote${votes.neighbours}-${votes.weighting}`;
  return embedName(view?.name ?? 'default', DEFAULT_EMBED.perProbe === 'cosine' ? 'cosine' : rule);
}

/**
 * Every candidate, the incumbent default first (ties in the selection go to it), then traits, views, ensembles,
 * combinations; `draws` are the bootstrap replicates' probe counts.
 */
export function candidates(
  run: AnalysedRun,
  table: ResponseTable,
  draws: readonly Float64Array[],
  say: (line: string) => void,
): Candidate[] {
  const timed = <T>(what: string, make: () => T): T => {
    const t0 = performance.now();
    const out = make();
    say(`  ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return out;
  };
  const traitsModel = run.signalModel('traits');
  const traits: Candidate = timed('traits', () => ({
    name: 'traits',
    matrix: run.matrix('traits'),
    replicates: draws.map((w) => traitsModel.matrix(w)),
  }));
  const byName = new Map<string, Candidate>();
  for (const spec of VIEWS) {
    timed(`${spec.name} (${RULES.length} rules)`, () => {
      const cosine = cosineStackOf(viewTable(table, spec.view), spec.tfidf);
      for (const rule of RULES) {
        const perProbe = rule.apply(cosine);
        const name = embedName(spec.name, rule.name);
        const matrix = averageOverProbes(perProbe);
        const fallback = upperTriangle(matrix);
        const replicates = draws.map((w) => averageOverProbes(perProbe, w, fallback));
        byName.set(name, { name, matrix, replicates });
      }
    });
  }
  const ensembles: Candidate[] = [];
  for (const parts of ENSEMBLES) {
    for (const rule of RULES) {
      const name = embedName(parts.join(' + '), rule.name);
      const members = parts.map((p) => byName.get(embedName(p, rule.name))!);
      const metric = `mean(${parts.join(', ')})`;
      ensembles.push({
        name,
        matrix: meanOf(
          metric,
          members.map((m) => m.matrix),
        ),
        replicates: draws.map((_, b) =>
          meanOf(
            metric,
            members.map((m) => m.replicates[b]!),
          ),
        ),
      });
    }
  }
  const combined: Candidate[] = COMBINED_WITH_TRAITS.flatMap((view) =>
    ['nn-vote', 'cosine'].map((rule) => {
      const embed = byName.get(embedName(view, rule))!;
      const combine = (e: DistanceMatrix, t: DistanceMatrix) =>
        combineMatrices([
          { matrix: e, weight: 1 },
          { matrix: t, weight: 1 },
        ]);
      return {
        name: `combined (${embedName(view, rule)} + traits)`,
        matrix: combine(embed.matrix, traits.matrix),
        replicates: draws.map((_, b) => combine(embed.replicates[b]!, traits.replicates[b]!)),
      };
    }),
  );
  const incumbent = defaultCandidateName();
  const first = byName.get(incumbent);
  const rest = [...byName.values()].filter((c) => c.name !== incumbent);
  return [...(first ? [first] : []), traits, ...rest, ...ensembles, ...combined];
}
