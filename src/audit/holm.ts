// Holm's step-down adjustment (Holm 1979): controls the family-wise error rate over m tests under any dependence.

/** Adjusted p-values in the input order: p_(i) * (m - i + 1), made monotone, capped at 1. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((x, y) => pValues[x]! - pValues[y]!);
  const out = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[i]!));
    out[i] = running;
  });
  return out;
}
