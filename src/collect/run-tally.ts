// What one collection session counted (requests, cache hits, answers, errors by kind, tokens, cost), shared by the
// interactive collector and the batch collector so both report a run the same way.
import type { RunEvent } from '../core/events.js';
import type { FailureKind, ModelRef, RunSpec } from '../core/types.js';
import type { CollectResult } from './collection.js';

export class RunTally {
  requested = 0;
  cached = 0;
  ok = 0;
  errors = 0;
  readonly errorsByKind: Partial<Record<FailureKind, number>> = {};
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;

  result(run: string, planned: number, cancelled: boolean): CollectResult {
    return {
      run,
      planned,
      requested: this.requested,
      cached: this.cached,
      ok: this.ok,
      errors: this.errors,
      errorsByKind: { ...this.errorsByKind },
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: this.costUsd,
      cancelled,
    };
  }
}

/** The event that opens a session: what it has to produce in all and per model, and how much the cache answered. */
export function runStartEvent(spec: RunSpec, plan: readonly { readonly model: ModelRef }[], cached: number): RunEvent {
  const perModel: Record<string, number> = {};
  for (const item of plan) perModel[item.model] = (perModel[item.model] ?? 0) + 1;
  return { type: 'run-start', run: spec.name, total: plan.length, cached, models: spec.models, perModel };
}
