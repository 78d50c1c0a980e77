// Active probing: a pilot pass scores each candidate probe by how much the models differ on it against how much one
// model differs from itself (an F-ratio, as in an analysis of variance or Wright's F_ST), and the rest of the budget
// goes to the probes that separate models best. Pure: it reads pilot observations and returns scores and a choice.

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
