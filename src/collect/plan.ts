// A run's plan: models x probes x sample indices, minus what the store already holds. Pure: the store's state
// comes in as a map, the plan goes out as a list.
import { sampleSeed } from '../core/random.js';
import { parseModelRef } from '../core/refs.js';
import type { FailureKind, ModelRef, Probe, RunSpec, SamplingParams } from '../core/types.js';
import { cacheKey } from '../store/cache-key.js';
import { sampleCellKey, type StoredSampleState } from '../store/sqlite.js';

export interface PlanItem {
  readonly model: ModelRef;
  readonly probe: Probe;
  readonly index: number;
  readonly sampling: SamplingParams;
}

/** The response-cache key of one planned sample asked of `model` through an endpoint of `provider`. */
export function planItemCacheKey(
  item: PlanItem,
  provider: { readonly kind: string; readonly baseURL: string },
  model: string,
): string {
  return cacheKey({
    providerKind: provider.kind,
    baseURL: provider.baseURL,
    model,
    prompt: item.probe.prompt,
    sampling: item.sampling,
    index: item.index,
  });
}

/** Failures that are the sample's own answer (asking again gives the same): kept when a run is resumed. */
export const PERMANENT_FAILURES: ReadonlySet<FailureKind> = new Set<FailureKind>(['bad_request', 'unsupported']);

/** Suite defaults < run flags < probe overrides. Undefined fields never erase a lower layer. */
export function resolveSampling(
  suiteDefaults: SamplingParams,
  run: Partial<SamplingParams> | undefined,
  probe: Probe['sampling'],
): SamplingParams {
  const out: Record<string, unknown> = { ...suiteDefaults };
  for (const layer of [run, probe]) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v;
  }
  return out as unknown as SamplingParams;
}

export function samplesOfProbe(spec: Pick<RunSpec, 'samples'>, probe: Probe): number {
  return probe.samples ?? spec.samples;
}

export interface PlanOptions {
  /** Also re-request samples stored with a permanent failure (bad_request, unsupported). */
  readonly retryAllErrors?: boolean;
}

/**
 * The sampling of one sample: the resolved seed (run's, or the suite's or probe's) becomes this sample's own, derived
 * from (seed, model name, probe id, index) and never from arrival order, so any sample is redrawn alone and the same;
 * the model's name rather than its ref, so that two profiles of one server share cached answers. No seed: unseeded.
 */
export function sampleSampling(
  sampling: SamplingParams,
  modelName: string,
  probe: string,
  index: number,
): SamplingParams {
  if (sampling.seed === undefined) return sampling;
  return { ...sampling, seed: sampleSeed(sampling.seed, modelName, probe, index) };
}

/**
 * Every (model, probe, index) the run still needs: absent cells, and cells stored as errors that may pass now
 * (rate limits, timeouts, auth fixed since...). Ordered probe-major so models progress together.
 */
export function planRun(
  spec: RunSpec,
  stored: ReadonlyMap<string, StoredSampleState>,
  options: PlanOptions = {},
): PlanItem[] {
  const items: PlanItem[] = [];
  const names = new Map(spec.models.map((m) => [m, parseModelRef(m).model]));
  for (const probe of spec.suite.probes) {
    const sampling = resolveSampling(spec.suite.defaults.sampling, spec.sampling, probe.sampling);
    const n = samplesOfProbe(spec, probe);
    for (let index = 0; index < n; index++) {
      for (const model of spec.models) {
        const state = stored.get(sampleCellKey(model, probe.id, index));
        if (state?.status === 'ok') continue;
        if (
          state?.status === 'error' &&
          !options.retryAllErrors &&
          state.kind !== undefined &&
          PERMANENT_FAILURES.has(state.kind)
        )
          continue;
        items.push({ model, probe, index, sampling: sampleSampling(sampling, names.get(model)!, probe.id, index) });
      }
    }
  }
  return items;
}

/** How many samples the full run has (all cells), per model. */
export function plannedTotal(spec: RunSpec): number {
  let perModel = 0;
  for (const probe of spec.suite.probes) perModel += samplesOfProbe(spec, probe);
  return perModel * spec.models.length;
}
