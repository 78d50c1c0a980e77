// `phylo run --max-cost USD`: stop a collection cleanly once the money it has spent reaches a budget. Spent is the
// sum of the priced usage of the samples answered in this process (cache hits cost nothing); the collection is then
// cancelled: in-flight requests are aborted, everything answered stays stored, the run is marked interrupted and a
// resume (same command) continues it with a fresh budget.
import type { RunEvent, RunListener } from '../core/events.js';

/** Exit status of a run stopped at its budget: a finding the user asked to fail on (the run is incomplete). */
export const EXIT_BUDGET_REACHED = 1;

export interface CostGuard {
  readonly listener: RunListener;
  /** What to call when the budget is reached (the collection's cancel); events before it is attached still count. */
  attach(cancel: () => void): void;
  /** USD spent so far by this process's requests. */
  spent(): number;
  /** Set once the budget was reached: the spend at that moment and the budget. */
  reached(): { readonly spentUsd: number; readonly maxCostUsd: number } | undefined;
}

export function costGuard(maxCostUsd: number): CostGuard {
  let spentUsd = 0;
  let hit: { spentUsd: number; maxCostUsd: number } | undefined;
  let cancel: (() => void) | undefined;
  const trip = (): void => {
    if (hit || spentUsd < maxCostUsd) return;
    hit = { spentUsd, maxCostUsd };
    cancel?.();
  };
  return {
    listener(e: RunEvent) {
      if (e.type !== 'sample' || e.status === 'cached') return;
      spentUsd += e.costUsd;
      trip();
    },
    attach(fn) {
      cancel = fn;
      if (hit) fn();
    },
    spent: () => spentUsd,
    reached: () => hit,
  };
}

/** The line `phylo run` prints when it stopped at the budget. */
export function budgetLine(reached: { spentUsd: number; maxCostUsd: number }, run: string): string {
  return (
    `phylo: run ${run} stopped at the cost budget: $${reached.spentUsd.toFixed(4)} spent of --max-cost ` +
    `$${reached.maxCostUsd.toFixed(2)}; everything answered is stored, run the same command (with a larger ` +
    '--max-cost) to continue'
  );
}
