// What `phylo run --adaptive` says: the phase lines on stderr, the flags that resume it, and the refusal to resume an
// adaptive run as a plain one (which would ask every probe the full sample count, past the budget).
import type { AdaptiveSettings } from '../collect/adaptive-plan.js';
import type { AdaptivePhaseEvent } from '../collect/adaptive-run.js';
import { InputError } from '../core/errors.js';
import type { RunName } from '../core/types.js';
import type { StoredProbeScore } from '../store/probe-scores.js';
import type { SqliteStore } from '../store/sqlite.js';

/** How many of the best probes a phase line names. */
const NAMED = 3;

/** The flags that repeat an adaptive run's settings (for the resume hint). */
export function adaptiveFlags(a: AdaptiveSettings): string {
  return `--adaptive --budget ${a.budget} --pilot-samples ${a.pilotSamples} --samples ${a.samples}`;
}

/** An F-ratio for a terminal: a probe no model varies on has a huge F (between over the floor). */
export function formatF(f: number): string {
  return f >= 1e4 ? f.toExponential(2) : f.toFixed(2);
}

const best = (scores: readonly StoredProbeScore[]): string =>
  scores
    .slice(0, NAMED)
    .map((s) => `${s.probe} (F ${formatF(s.f)})`)
    .join(', ');

/** Every probe answered the same by each model twice (logprobs of a deterministic server): F ranks by between. */
const deterministic = (scores: readonly StoredProbeScore[]): boolean =>
  scores.length > 0 && scores.every((s) => (s.within ?? 0) === 0);

const DETERMINISTIC =
  '. No model varied with itself on any probe: F ranks by between-model divergence alone, and more samples of a ' +
  'probe add nothing to its next-token distribution (they still sharpen sampled-text alleles)';

export function adaptivePhaseLine(e: AdaptivePhaseEvent): string {
  switch (e.type) {
    case 'pilot':
      return (
        `adaptive: pilot of ${e.plan.candidates} probes x ${e.plan.pilotSamples} samples (${e.plan.pilotQueries} ` +
        `queries per model), then the ${e.plan.selected} best x ${e.plan.followUpSamples} more samples; ` +
        `budget ${e.plan.budget} queries per model`
      );
    case 'chosen':
      return (
        `adaptive: ${e.stored ? 'resuming the follow-up of' : 'chose'} ${e.plan.chosen ?? e.plan.selected} of ` +
        `${e.plan.candidates} probes by F (${e.plan.divergence ?? '?'}${e.stored ? ', read back from the run' : ''})` +
        `; best ${best(e.scores)}${deterministic(e.scores) ? DETERMINISTIC : ''}`
      );
    case 'pilot-incomplete':
      return (
        `adaptive: the pilot misses ${e.missing} samples (failed after every attempt); nothing is chosen until ` +
        'they are in: run the same command to retry them'
      );
  }
}

/** A plain `phylo run` of a name that holds an adaptive run: one line saying how to resume it. */
export function refuseAdaptiveResume(store: SqliteStore, name: RunName): void {
  if (!store.hasRun(name)) return;
  const plan = store.probeScores().plan(name);
  if (!plan) return;
  const flags = adaptiveFlags({ budget: plan.budget, pilotSamples: plan.pilotSamples, samples: plan.samples });
  throw new InputError(`run "${name}" is adaptive; resume it with ${flags}, or use another --name`);
}
