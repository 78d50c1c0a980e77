// The samples of one model in a stored run, found by its ref (or by the name after the provider prefix when that
// names one model only), as the audit tests take them.
import type { RunData } from '../core/run.js';
import type { Sample } from '../core/types.js';
import { InputError } from '../core/errors.js';
import type { ModelSamples } from './equality.js';

/** Every model of the run with its samples, in the run's model order. */
export function samplesByModel(run: RunData): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>(run.run.models.map((m) => [m, []]));
  for (const s of run.samples) {
    const list = out.get(s.model);
    if (list) list.push(s);
    else out.set(s.model, [s]);
  }
  return out;
}

function listSome(xs: readonly string[], max = 6): string {
  return xs.slice(0, max).join(', ') + (xs.length > max ? `, ... (${xs.length} models)` : '');
}

/** The model `ref` names in the run: exactly, or by its name without provider when that is unique. */
export function resolveModel(run: RunData, ref: string): string {
  const models = run.run.models as readonly string[];
  if (models.includes(ref)) return ref;
  const bySuffix = models.filter((m) => m.slice(m.indexOf(':') + 1) === ref);
  if (bySuffix.length === 1) return bySuffix[0]!;
  if (bySuffix.length > 1)
    throw new InputError(`model ${ref} is ambiguous in run ${run.run.name}: ${listSome(bySuffix)}`);
  throw new InputError(`run ${run.run.name} has no model ${ref}; it has ${listSome(models)}`);
}

export function modelSamples(run: RunData, ref: string, byModel = samplesByModel(run)): ModelSamples {
  const model = resolveModel(run, ref);
  return { model, samples: byModel.get(model) ?? [] };
}

/** A run as the drift audit reads it: its name and each model's samples. */
export interface RunSamples {
  readonly name: string;
  readonly models: ReadonlyMap<string, readonly Sample[]>;
}

export function runSamples(run: RunData): RunSamples {
  return { name: run.run.name, models: samplesByModel(run) };
}
