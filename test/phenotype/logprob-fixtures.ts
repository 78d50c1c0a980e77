// Runs whose samples carry first-token top logprobs, built from hand-made distributions.
import type { TokenLogprob } from '../../src/core/types.js';
import type { RunData } from '../../src/core/run.js';
import { makeRun, type CellSpec } from './fixtures.js';

/** Top alternatives (token, probability) as a provider lists them: logprobs, most likely first. */
export function top(entries: readonly (readonly [string, number])[]): TokenLogprob {
  const sorted = [...entries].sort((a, b) => b[1] - a[1]);
  return {
    token: sorted[0]![0],
    logprob: Math.log(sorted[0]![1]),
    top: sorted.map(([token, p]) => ({ token, logprob: Math.log(p) })),
  };
}

/** `makeRun(cells)` with each ok sample's logprobs from `lp(model, probe, index)` (undefined: none, as without --logprobs). */
export function runWithLogprobs(
  cells: readonly CellSpec[],
  lp: (model: string, probe: string, index: number) => TokenLogprob | undefined,
): RunData {
  const data = makeRun(cells);
  return {
    run: data.run,
    samples: data.samples.map((s) => {
      if (s.outcome.status !== 'ok') return s;
      const first = lp(s.model, s.probe, s.index);
      return first ? { ...s, outcome: { ...s.outcome, logprobs: [first] } } : s;
    }),
  };
}
