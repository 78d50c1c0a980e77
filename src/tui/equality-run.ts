// The results screen's equality test of two models of the run (src/audit/equality.ts, the same test as
// `phylo audit equal A B --run RUN`): the models' stored samples when the analysed run has them, else the evidence's
// answered texts. Asynchronous so the "testing…" frame is drawn before the permutations run.
import { analysedRunSamples } from '../audit/compare-runs.js';
import { EQUALITY_DEFAULTS, type EqualityOptions, type EqualityResult, testEquality } from '../audit/equality.js';
import type { ResultsData } from './backend.js';

/** As the CLI's defaults: 1,000 permutations, seed 1, alpha 0.05, the five most contributing probes. */
export const TUI_EQUALITY: EqualityOptions = { ...EQUALITY_DEFAULTS };

export async function testModelsOfRun(
  data: ResultsData,
  a: string,
  b: string,
  options: EqualityOptions = TUI_EQUALITY,
): Promise<EqualityResult> {
  // Let ink draw the "testing…" frame before the synchronous permutations below.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const samplesOf = data.samples
    ? (model: string) => data.samples!(model)
    : (() => {
        const models = analysedRunSamples(data).models;
        return (model: string) => models.get(model) ?? [];
      })();
  return testEquality({ model: a, samples: samplesOf(a) }, { model: b, samples: samplesOf(b) }, options);
}
