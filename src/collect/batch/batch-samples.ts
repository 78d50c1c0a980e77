// The samples a batched collection writes: answers with their batch cost and turnaround, failures with their kind.
import type { Completion, FailureKind, RunName } from '../../core/types.js';
import type { SampleWrite } from '../../store/rows.js';
import type { PlanItem } from '../plan.js';

export function okSample(
  run: RunName,
  item: PlanItem,
  completion: Completion,
  latencyMs: number,
  attempts: number,
  cached: boolean,
  costUsd = 0,
): SampleWrite {
  const at = new Date().toISOString();
  return {
    run,
    model: item.model,
    probe: item.probe.id,
    index: item.index,
    outcome: { status: 'ok', ...completion },
    latencyMs,
    attempts,
    costUsd,
    at,
    ...(cached ? { cached: true } : { collectedAt: at }),
    ...(item.sampling.seed !== undefined ? { seed: item.sampling.seed } : {}),
  };
}

/** `message` must already be cleaned of secrets (the collector's redact). */
export function errorSample(
  run: RunName,
  item: PlanItem,
  kind: FailureKind,
  message: string,
  attempts: number,
): SampleWrite {
  return {
    run,
    model: item.model,
    probe: item.probe.id,
    index: item.index,
    outcome: { status: 'error', kind, message },
    latencyMs: 0,
    attempts,
    costUsd: 0,
    at: new Date().toISOString(),
  };
}
