// Maps an analysed run (src/analysis/analysed-run.ts) onto the ResultsData the results screen reads: the signals the
// run supports, trees by any method with bootstrap support over probes (computed when first shown, then kept by the
// analysed run), the trait table, the responses for the evidence tab, each model's samples for the equality test,
// and the HTML report (which reuses the matrices and trees already computed).
import { analyseRunLazily } from '../analysis/analysed-run.js';
import { DEFAULT_METHOD, isSignal } from '../analysis/signals/index.js';
import type { RunData } from '../core/run.js';
import { samplesByModel } from '../audit/model-samples.js';
import { writeReport } from '../report/index.js';
import type { ResultsData } from './backend.js';

export interface TuiAnalysisOptions {
  /** Bootstrap replicates over probes for support values (0: none). */
  readonly bootstrap?: number;
  readonly seed?: number;
}

export const TUI_BOOTSTRAP = 100;

export async function analyseForTui(data: RunData, options: TuiAnalysisOptions = {}): Promise<ResultsData> {
  // Let the "analysing…" frame reach the terminal before the synchronous work below.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const run = analyseRunLazily(data);
  const bootstrap = options.bootstrap ?? TUI_BOOTSTRAP;
  const seed = options.seed ?? 1;
  let byModel: ReturnType<typeof samplesByModel> | undefined;
  return {
    run: data.run.name,
    models: run.table.models,
    signals: run.signals,
    defaultMethod: (signal) => (isSignal(signal) ? DEFAULT_METHOD[signal] : 'nj'),
    matrix: (signal) => run.matrix(signal),
    tree: (signal, method) => run.tree({ signal, method, bootstrap, seed }),
    traits: run.traitTable(),
    probes: run.probes(),
    responses: (probe) => run.responses(probe),
    samples: (model) => {
      byModel ??= samplesByModel(data);
      return byModel.get(model) ?? [];
    },
    writeReport: (out, signals, scores) =>
      writeReport({
        data,
        analysed: run,
        out,
        signals,
        scores,
        bootstrap,
        seed,
        command:
          `phylo report ${data.run.name} --signal ${signals.join(' ')}` +
          (scores ? ` --scores ${scores.file} --column ${scores.column}` : ''),
      }),
  };
}
