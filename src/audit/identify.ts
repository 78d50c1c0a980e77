// Which reference model is this? Identification is 1-nearest-neighbour, so it reads the analysis pipeline's own signal
// (src/analysis/, default embed: per-probe nearest-neighbour votes) on one run of the reference models plus the target,
// over the probes the target answered: the ranking is the target's matrix row, the top-1's confidence the share of
// bootstrap replicates over probes (Felsenstein 1985, as the tree support) in which it stays nearest, and the equality
// test against the top-1 gives the verdict.
import type { ModelRef } from '../core/types.js';
import type { RunData } from '../core/run.js';
import { InputError } from '../core/errors.js';
import { randomInt, seededRng } from '../core/random.js';
import { AnalysedRun } from '../analysis/analysed-run.js';
import { DEFAULT_SIGNAL } from '../analysis/signals/index.js';
import {
  EQUALITY_DEFAULTS,
  testEquality,
  type EqualityOptions,
  type EqualityResult,
  type ModelSamples,
} from './equality.js';

export interface RankedModel {
  readonly model: string;
  /** The signal's distance from the target (for embed: 1 - the rate at which the two vote each other nearest). */
  readonly distance: number;
  /** Share of bootstrap replicates over probes in which this model is the nearest (ties share a replicate). */
  readonly confidence: number;
  /** Probes both the target and this model answered. */
  readonly probes: number;
}

export interface Identification {
  readonly target: string;
  /** The analysis signal the distances come from, and its metric. */
  readonly signal: string;
  readonly metric: string;
  readonly ranking: readonly RankedModel[];
  /** The equality test of the target against the top-1 (undefined when it cannot run: `equalError` says why). */
  readonly equal: EqualityResult | undefined;
  readonly equalError?: string;
  /** One line: "consistent with X (p = ...)" or "closest is X, but differs (p = ...)". */
  readonly verdict: string;
  readonly bootstrap: number;
}

export interface IdentifyOptions extends EqualityOptions {
  /** Bootstrap replicates over the target's probes for the confidence (default 200). */
  identifyBootstrap?: number;
  /** The analysis signal to rank by (default: the pipeline's default, embed); checked against what the run offers. */
  signal?: string;
}

/** The target's label in the joint run: its own ref, unless a reference model already has it. */
function targetLabel(target: string, references: ReadonlySet<string>): string {
  let label = target;
  for (let k = 1; references.has(label); k++) label = `${target} (target${k > 1 ? ` ${k}` : ''})`;
  return label;
}

/**
 * One run of the reference models plus the target, on the probes the target answered. When the target comes from the
 * reference run itself (its samples carry that run's name) its own entry there is left out, so it is compared against
 * the others only; a model of the same ref from another run stays a candidate and the target is renamed.
 */
export function jointRun(target: ModelSamples, reference: RunData): { data: RunData; label: string } {
  const answered = new Set(target.samples.filter((s) => s.outcome.status === 'ok').map((s) => String(s.probe)));
  if (answered.size === 0) throw new InputError(`model ${target.model} answered no probe`);
  const fromReference = target.samples.some((s) => s.run === reference.run.name);
  const isCandidate = (m: string) => !(fromReference && m === target.model);
  const models = reference.run.models.filter(isCandidate);
  const taken = reference.samples.map((s) => String(s.model)).filter(isCandidate);
  const label = targetLabel(target.model, new Set([...taken, ...models]));
  const samples = [
    ...reference.samples.filter((s) => isCandidate(s.model) && answered.has(s.probe)),
    ...target.samples.map((s) => ({ ...s, model: label as ModelRef })),
  ];
  return { data: { run: { ...reference.run, models: [...models, label as ModelRef] }, samples }, label };
}

function format(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** The index of each candidate (with a shared probe) nearest to the target in `row`; ties all count. */
function nearest(row: (i: number) => number, candidates: readonly number[]): number[] {
  let best = Number.POSITIVE_INFINITY;
  let out: number[] = [];
  for (const c of candidates) {
    const d = row(c);
    if (d < best - 1e-12) {
      best = d;
      out = [c];
    } else if (Math.abs(d - best) <= 1e-12) out.push(c);
  }
  return out;
}

export interface Ranking {
  /** The analysis signal the distances come from, and its metric. */
  readonly signal: string;
  readonly metric: string;
  /** Every model sharing a probe with the target, nearest first. */
  readonly ranking: RankedModel[];
}

/**
 * The models of an analysed run ranked by the signal's distance to the one labelled `target` (its matrix row), each
 * with the share of `replicates` bootstrap draws over probes (seeded, drawn as the tree bootstrap draws them, the
 * matrix re-weighted by the signal model) in which it is the nearest. Pure.
 */
export function rankByAnalysis(
  run: AnalysedRun,
  target: string,
  options: { signal?: string; replicates?: number; seed?: number } = {},
): Ranking {
  const replicates = Math.max(0, Math.floor(options.replicates ?? 200));
  const signal = run.availableSignal(options.signal ?? DEFAULT_SIGNAL);
  const model = run.signalModel(signal);
  const { models, cells, probes } = run.table;
  const n = models.length;
  const t = models.indexOf(target);
  if (t < 0) throw new InputError(`run ${run.data.run.name} has no answers of ${target}`);
  const shared = models.map((_, m) => {
    let k = 0;
    for (let p = 0; p < probes.length; p++) if (cells[p * n + t]!.length && cells[p * n + m]!.length) k++;
    return k;
  });
  const candidates = models.map((_, m) => m).filter((m) => m !== t && shared[m]! > 0);
  if (candidates.length === 0) throw new InputError(`no reference model shares a probe with ${target}`);
  const full = model.matrix();
  const wins = new Float64Array(n);
  const rng = seededRng((options.seed ?? EQUALITY_DEFAULTS.seed) ^ 0x2545f491);
  const counts = new Int32Array(probes.length);
  for (let r = 0; r < replicates; r++) {
    counts.fill(0);
    for (let k = 0; k < counts.length; k++) counts[randomInt(rng, counts.length)]!++;
    const values = model.matrix(counts).values;
    const top = nearest((m) => values[t * n + m]!, candidates);
    for (const m of top) wins[m]! += 1 / top.length;
  }
  const ranking = candidates
    .map((m) => ({
      model: models[m]!,
      distance: full.values[t * n + m]!,
      confidence: replicates > 0 ? wins[m]! / replicates : Number.NaN,
      probes: shared[m]!,
    }))
    .sort((x, y) => x.distance - y.distance || y.confidence - x.confidence);
  return { signal, metric: full.metric, ranking };
}

export function identifyModel(target: ModelSamples, reference: RunData, options: IdentifyOptions = {}): Identification {
  const replicates = Math.max(0, Math.floor(options.identifyBootstrap ?? 200));
  const { data, label } = jointRun(target, reference);
  const references = new Set(data.samples.map((s) => String(s.model)));
  references.delete(label);
  if (references.size < 2)
    throw new InputError(
      `run ${reference.run.name} has ${references.size} model(s) answering ${target.model}'s probes; ` +
        'identification needs at least 2 to rank',
    );
  const { signal, metric, ranking } = rankByAnalysis(new AnalysedRun(data), label, {
    signal: options.signal,
    replicates,
    seed: options.seed,
  });
  const top = ranking[0]!;
  const topSamples = { model: top.model, samples: data.samples.filter((s) => s.model === top.model) };
  let equal: EqualityResult | undefined;
  let equalError: string | undefined;
  try {
    equal = testEquality(target, topSamples, options);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    equalError = err.message;
  }
  const verdict = !equal
    ? `closest is ${top.model} (confidence ${top.confidence.toFixed(2)}); no equality test: ${equalError}`
    : equal.reject
      ? `closest is ${top.model}, but differs, p = ${format(equal.pValue)}`
      : `consistent with ${top.model} (p = ${format(equal.pValue)}, confidence ${top.confidence.toFixed(2)})`;
  return {
    target: target.model,
    signal,
    metric,
    ranking,
    equal,
    equalError,
    verdict,
    bootstrap: replicates,
  };
}
