// `phylo run --adaptive --budget N`: how a budget of N queries per model is split between a pilot (every candidate
// probe of the suite, `pilotSamples` times) and a follow-up (the probes the pilot scores best, brought to `samples`
// samples each), and the suite each phase collects. Pure: checked settings in, a plan and suites out.
//
// A query is one sample (model, probe, sample index), however it is answered: by the provider or by the response
// cache. Counting cache hits keeps the run the same with a warm cache or a cold one (same command, same samples, same
// tree); retries of a failed attempt are the same query.
import { planAdaptive } from '../analysis/probe-selection.js';
import { InputError } from '../core/errors.js';
import type { Probe, Suite } from '../core/types.js';
import type { AdaptivePlanRecord } from '../store/probe-scores.js';

/** Two pilot samples: the fewest that measure how much a model varies with itself (the F-ratio's denominator). */
export const DEFAULT_PILOT_SAMPLES = 2;

export interface AdaptiveSettings {
  /** Queries per model, pilot and follow-up together. */
  readonly budget: number;
  readonly pilotSamples: number;
  /** Samples of a chosen probe in all, its pilot samples included. */
  readonly samples: number;
}

/**
 * The plan for `candidates` probes, or one line naming the flag that makes it impossible: fewer chosen samples than
 * the pilot's, a budget below the pilot, or a budget that leaves too little for one probe's follow-up.
 */
export function adaptivePlan(settings: AdaptiveSettings, candidates: number): AdaptivePlanRecord {
  const { budget, pilotSamples, samples } = settings;
  if (samples <= pilotSamples)
    throw new InputError(
      `--samples: an adaptive run brings each chosen probe to more samples than the pilot's ${pilotSamples}; ` +
        `give --samples above ${pilotSamples} (e.g. --samples ${Math.max(8, pilotSamples + 1)})`,
    );
  const plan = planAdaptive(budget, candidates, pilotSamples, samples);
  if (budget < plan.pilotQueries)
    throw new InputError(
      `--budget: ${budget} queries per model is less than the pilot's ${plan.pilotQueries} (${candidates} probes x ` +
        `${pilotSamples} samples); give a larger --budget, or fewer candidate probes (--tags, --limit)`,
    );
  if (plan.selected === 0)
    throw new InputError(
      `--budget: ${budget} queries per model leaves ${budget - plan.pilotQueries} after the pilot's ` +
        `${plan.pilotQueries}, fewer than the ${plan.followUpSamples} more samples one chosen probe needs; ` +
        `give --budget ${plan.pilotQueries + plan.followUpSamples} or more`,
    );
  return { budget, pilotSamples, samples, candidates, ...plan };
}

/** Queries per model the whole plan spends (at most the budget). */
export function plannedQueries(plan: AdaptivePlanRecord): number {
  return plan.pilotQueries + plan.selected * plan.followUpSamples;
}

/**
 * The suite one phase collects: every probe at the pilot's sample count, the chosen ones (once the pilot is scored)
 * at the plan's. A probe's own `samples` in the suite file gives way to the plan. The run stores the suite as loaded;
 * only the collector sees this one, so a resume matches the stored suite.
 */
export function phaseSuite(suite: Suite, plan: AdaptivePlanRecord, chosen?: ReadonlySet<string>): Suite {
  const probes = suite.probes.map(
    (p): Probe => ({ ...p, samples: chosen?.has(String(p.id)) ? plan.samples : plan.pilotSamples }),
  );
  return { ...suite, probes };
}

/** Why a stored run cannot be resumed with these settings, or undefined when it can. */
export function resumeConflict(
  run: string,
  stored: AdaptivePlanRecord | undefined,
  wanted: AdaptivePlanRecord,
): string | undefined {
  if (stored === undefined)
    return `run "${run}" exists and was collected without --adaptive; use another --name for an adaptive run`;
  const same =
    stored.budget === wanted.budget &&
    stored.pilotSamples === wanted.pilotSamples &&
    stored.samples === wanted.samples &&
    stored.candidates === wanted.candidates;
  if (same) return undefined;
  return (
    `run "${run}" is adaptive with --budget ${stored.budget} --pilot-samples ${stored.pilotSamples} --samples ` +
    `${stored.samples} over ${stored.candidates} probes; resume it with the same, or use another --name`
  );
}
