// Did the vendor change it? Every model in two runs tested for equality of its two collections, the p-values
// adjusted for the number of models (Holm 1979), with the most-changed probes and the trait deltas as evidence.
import { InputError } from '../core/errors.js';
import { EQUALITY_DEFAULTS, testEquality, type EqualityOptions, type EqualityResult } from './equality.js';
import { holmAdjust } from './holm.js';
import type { RunSamples } from './model-samples.js';
import { traitDeltas, type TraitDelta } from './trait-deltas.js';

export interface ChangedProbe {
  readonly probe: string;
  readonly contribution: number;
  readonly old: readonly string[];
  readonly new: readonly string[];
}

export interface ModelDrift {
  readonly model: string;
  readonly pValue: number;
  /** Holm-adjusted over the models tested. */
  readonly adjustedPValue: number;
  /** adjustedPValue <= alpha. */
  readonly reject: boolean;
  readonly statistic: number;
  readonly probes: number;
  readonly effect: EqualityResult['effect'];
  readonly components: EqualityResult['components'];
  readonly changedProbes: readonly ChangedProbe[];
  /** Probes the trait means were taken over. */
  readonly traitProbes: number;
  readonly traits: readonly TraitDelta[];
}

export interface DriftReport {
  readonly old: string;
  readonly new: string;
  readonly alpha: number;
  readonly permutations: number;
  readonly seed: number;
  readonly correction: 'holm';
  /** Tested models, the most drifted (smallest p) first. */
  readonly models: readonly ModelDrift[];
  /** Models in both runs that could not be tested, with the reason (e.g. too few shared probes). */
  readonly skipped: readonly { readonly model: string; readonly reason: string }[];
  readonly onlyOld: readonly string[];
  readonly onlyNew: readonly string[];
}

export function auditDrift(oldRun: RunSamples, newRun: RunSamples, options: EqualityOptions = {}): DriftReport {
  const alpha = options.alpha ?? EQUALITY_DEFAULTS.alpha;
  const seed = options.seed ?? EQUALITY_DEFAULTS.seed;
  const shared = [...oldRun.models.keys()].filter((m) => newRun.models.has(m));
  const onlyOld = [...oldRun.models.keys()].filter((m) => !newRun.models.has(m));
  const onlyNew = [...newRun.models.keys()].filter((m) => !oldRun.models.has(m));
  if (shared.length === 0)
    throw new InputError(`runs ${oldRun.name} and ${newRun.name} have no model in common: nothing to compare`);
  const tested: { model: string; result: EqualityResult }[] = [];
  const skipped: { model: string; reason: string }[] = [];
  for (const model of shared) {
    try {
      const result = testEquality(
        { model, samples: oldRun.models.get(model)! },
        { model, samples: newRun.models.get(model)! },
        { ...options, alpha, seed },
      );
      tested.push({ model, result });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      skipped.push({ model, reason: err.message });
    }
  }
  const adjusted = holmAdjust(tested.map((t) => t.result.pValue));
  const models = tested.map(({ model, result }, i): ModelDrift => {
    const traits = traitDeltas(
      oldRun.models.get(model)!,
      newRun.models.get(model)!,
      sharedProbes(oldRun, newRun, model),
      seed,
    );
    return {
      model,
      pValue: result.pValue,
      adjustedPValue: adjusted[i]!,
      reject: adjusted[i]! <= alpha,
      statistic: result.statistic,
      probes: result.probes,
      effect: result.effect,
      components: result.components,
      changedProbes: result.topProbes.map((p) => ({
        probe: p.probe,
        contribution: p.contribution,
        old: p.a,
        new: p.b,
      })),
      traitProbes: traits.probes,
      traits: traits.deltas,
    };
  });
  models.sort((x, y) => x.pValue - y.pValue || y.statistic - x.statistic);
  return {
    old: oldRun.name,
    new: newRun.name,
    alpha,
    permutations: tested[0]?.result.permutations ?? options.permutations ?? EQUALITY_DEFAULTS.permutations,
    seed,
    correction: 'holm',
    models,
    skipped,
    onlyOld,
    onlyNew,
  };
}

function sharedProbes(a: RunSamples, b: RunSamples, model: string): string[] {
  const answered = (run: RunSamples) =>
    new Set(run.models.get(model)!.flatMap((s) => (s.outcome.status === 'ok' ? [s.probe as string] : [])));
  const inB = answered(b);
  return [...answered(a)].filter((p) => inB.has(p)).sort();
}
