// Active probing: a pilot pass scores each candidate probe by how much the models differ on it against how much one
// model differs from itself (an F-ratio, as in an analysis of variance or Wright's F_ST), and the rest of the budget
// goes to the probes that separate models best. Pure: it reads pilot observations and returns scores and a choice.
import type { Sample, TokenLogprob } from '../core/types.js';
import { cosineDistanceSparse } from '../distance/cosine.js';
import { alleleOf } from '../phenotype/alleles.js';
import { type FeatureOptions, forEachFeature } from '../phenotype/features.js';
import { IntIdTable } from '../phenotype/int-table.js';
import { firstTokenDistribution, type TokenDistribution } from '../phenotype/logprob-profile.js';
import { type SparseVector, weightDocuments } from '../phenotype/tfidf.js';
import { coarseHellinger } from './signals/hellinger.js';

/** Pilot observations of one candidate: `byModel[m]` holds model m's repeated observations (samples, logprobs...). */
export interface PilotCandidate<T> {
  readonly id: string;
  readonly byModel: readonly (readonly T[])[];
}

export interface ProbeScore {
  readonly id: string;
  /** Mean divergence of two observations from different models. */
  readonly between: number;
  /** Mean divergence of two observations from the same model; undefined when no model was observed twice. */
  readonly within?: number;
  /** between / max(within, floor): the separation a query of this probe buys. */
  readonly f: number;
}

/**
 * Below this, within-model divergence counts as this: a deterministic probe (logprobs asked twice give the same
 * numbers) then ranks by its between-model divergence alone, and a probe no model varies on is not infinitely good.
 */
export const WITHIN_FLOOR = 1e-6;

/**
 * The F-ratio of one candidate: the mean divergence over pairs of observations of different models, over the mean
 * over pairs of observations of one model. With one observation per model (a deterministic probe asked once) there is
 * no within term and the floor stands in.
 */
export function scoreCandidate<T>(c: PilotCandidate<T>, divergence: (a: T, b: T) => number): ProbeScore {
  let between = 0;
  let nb = 0;
  let within = 0;
  let nw = 0;
  const models = c.byModel;
  for (let m = 0; m < models.length; m++) {
    const xs = models[m]!;
    for (let a = 0; a < xs.length; a++) {
      for (let b = a + 1; b < xs.length; b++, nw++) within += divergence(xs[a]!, xs[b]!);
      for (let o = m + 1; o < models.length; o++)
        for (const y of models[o]!) {
          between += divergence(xs[a]!, y);
          nb++;
        }
    }
  }
  const B = nb > 0 ? between / nb : 0;
  const W = nw > 0 ? within / nw : undefined;
  return { id: c.id, between: B, ...(W !== undefined ? { within: W } : {}), f: B / Math.max(W ?? 0, WITHIN_FLOOR) };
}

/** Scores in descending F, ties broken by id so that the choice never depends on input order. */
export function rankProbes(scores: readonly ProbeScore[]): ProbeScore[] {
  return [...scores].sort((a, b) => b.f - a.f || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The `count` best candidates by F (all of them when there are fewer). */
export function selectProbes(scores: readonly ProbeScore[], count: number): string[] {
  return rankProbes(scores)
    .slice(0, Math.max(0, count))
    .map((s) => s.id);
}

/** A mismatch divergence for sampled answers: 0 when two answers are the same text, else 1 (PhyloLM alleles). */
export const alleleMismatch = (a: string, b: string): number => (a === b ? 0 : 1);

export interface AdaptivePlan {
  /** Queries per model the pilot spends: every candidate, `pilotSamples` times. */
  readonly pilotQueries: number;
  /** How many of the best candidates get the follow-up, and how many more samples each. */
  readonly selected: number;
  readonly followUpSamples: number;
}

/**
 * How to spend `budget` queries per model over `candidates` probes: a pilot of `pilotSamples` samples of every
 * candidate (two, the fewest that measure within-model divergence), then the rest on the best candidates, each
 * brought to `samples` samples in all. The pilot's samples count towards the selected probes' totals.
 */
export function planAdaptive(budget: number, candidates: number, pilotSamples: number, samples: number): AdaptivePlan {
  const pilotQueries = candidates * pilotSamples;
  const followUpSamples = Math.max(0, samples - pilotSamples);
  const rest = Math.max(0, budget - pilotQueries);
  const selected = followUpSamples > 0 ? Math.min(candidates, Math.floor(rest / followUpSamples)) : 0;
  return { pilotQueries, selected, followUpSamples };
}

/**
 * How two pilot observations of one probe are compared. `hellinger`: squared Hellinger distance of the first-token
 * distributions (asked with --logprobs; the hellinger signal's divergence). `tfidf-cosine`: cosine distance of the
 * samples' TF-IDF vectors over character n-grams. `allele-mismatch`: 0/1 on PhyloLM's allele (first characters).
 */
export type PilotDivergence = 'hellinger' | 'tfidf-cosine' | 'allele-mismatch';

/** What a pilot sample is under a divergence: a token distribution, a sparse vector or an allele. */
type Observation = TokenDistribution | SparseVector | string;

// Character 2-4-grams (Cavnar & Trenkle 1994): they grade a few sampled bytes and a paragraph alike, where an exact
// match of two temperature-1 answers is nearly always 0, which leaves every probe at F ~ 1 and the ranking to chance.
const PILOT_TEXT_FEATURES: FeatureOptions = { kind: 'char', ngram: [2, 4], stopWords: false };

/**
 * The divergence the pilot's samples allow: Hellinger on the next-token distributions when every answered pilot
 * sample carries top logprobs (one query reads a whole distribution, no sampling noise), else TF-IDF cosine on text.
 */
export function pilotDivergenceFor(samples: readonly Sample[], pilotSamples: number): PilotDivergence {
  const answered = samples.filter((s) => s.index < pilotSamples && s.outcome.status === 'ok');
  const withLogprobs = answered.filter((s) => s.outcome.status === 'ok' && (s.outcome.logprobs?.[0]?.top ?? []).length);
  return answered.length > 0 && withLogprobs.length === answered.length ? 'hellinger' : 'tfidf-cosine';
}

/** Per-sample TF-IDF vectors of one probe's pilot texts, idf over all of them (every model's samples of it). */
function textVectors(texts: readonly string[]): SparseVector[] {
  const vocabulary = new IntIdTable(256);
  const docs = texts.map((text) => {
    const counts = new Map<number, number>();
    forEachFeature(text, PILOT_TEXT_FEATURES, (f) => {
      const id = vocabulary.idOf(f);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    });
    const indices = Int32Array.from(counts.keys()).sort();
    return { indices, counts: Float64Array.from(indices, (i) => counts.get(i)!) };
  });
  return weightDocuments(docs, vocabulary.size, { tf: 'raw', idf: 'smooth' }).map((v) => v!);
}

function divergenceOf(kind: PilotDivergence): (a: Observation, b: Observation) => number {
  if (kind === 'hellinger') return (a, b) => coarseHellinger(a as TokenDistribution, b as TokenDistribution);
  if (kind === 'tfidf-cosine') return (a, b) => cosineDistanceSparse(a as SparseVector, b as SparseVector);
  return (a, b) => alleleMismatch(a as string, b as string);
}

/**
 * Score every candidate probe on the pilot: the answered samples with index below `pilotSamples`, grouped by model
 * in `models` order, compared by `divergence`. A probe no model answered scores 0 (between and F).
 */
export function scorePilot(
  samples: readonly Sample[],
  candidates: readonly string[],
  models: readonly string[],
  pilotSamples: number,
  divergence: PilotDivergence,
): ProbeScore[] {
  const modelIndex = new Map(models.map((m, i) => [m, i]));
  const byProbe = new Map<string, { model: number; text: string; first?: TokenLogprob }[]>();
  for (const s of samples) {
    const m = modelIndex.get(s.model);
    if (m === undefined || s.index >= pilotSamples || s.outcome.status !== 'ok') continue;
    const list = byProbe.get(s.probe) ?? [];
    list.push({ model: m, text: s.outcome.text, ...(s.outcome.logprobs?.[0] ? { first: s.outcome.logprobs[0] } : {}) });
    byProbe.set(s.probe, list);
  }
  const compare = divergenceOf(divergence);
  return candidates.map((id) => {
    const answers = byProbe.get(id) ?? [];
    const byModel: Observation[][] = models.map(() => []);
    const vectors = divergence === 'tfidf-cosine' ? textVectors(answers.map((a) => a.text)) : [];
    answers.forEach((a, i) => {
      const o =
        divergence === 'hellinger'
          ? firstTokenDistribution(a.first)
          : divergence === 'tfidf-cosine'
            ? vectors[i]
            : alleleOf(a.text);
      if (o !== undefined) byModel[a.model]!.push(o);
    });
    return scoreCandidate({ id, byModel }, compare);
  });
}
