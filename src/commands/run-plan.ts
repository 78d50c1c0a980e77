// `phylo run --dry-run`: what a run would send and what it would cost, per model, from the profiles' price tables
// (src/probes/estimate.ts), without resolving a key or sending anything.
import { formatCost } from '../core/format.js';
import { parseModelRef } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import type { ModelRef, Suite } from '../core/types.js';
import { estimateRun, formatEstimate, type RunEstimate } from '../probes/estimate.js';
import { priceFor, type Profile } from '../providers/profile.js';
import type { ProviderRegistry } from '../providers/registry.js';

export interface DryRunRequest {
  readonly name: string;
  readonly suite: Suite;
  readonly models: readonly ModelRef[];
  /** Samples per probe given on the command line or in the config (a probe's own count wins). */
  readonly samples?: number;
  readonly profiles: ReadonlyMap<string, Profile>;
  readonly registry: Pick<ProviderRegistry, 'profileFor'>;
  readonly maxCostUsd?: number;
}

export interface DryRunPlan {
  readonly run: string;
  readonly suite: { readonly name: string; readonly version: string; readonly probes: number };
  readonly estimate: RunEstimate;
  /** Models whose profile has no price for them (counted as $0). */
  readonly unpriced: readonly ModelRef[];
  readonly maxCostUsd?: number;
}

export function dryRunPlan(r: DryRunRequest): DryRunPlan {
  const unpriced: ModelRef[] = [];
  const estimate = estimateRun(r.suite, r.models, r.samples, (model) => {
    const { prefix, model: id } = parseModelRef(model);
    const price = priceFor(r.registry.profileFor(prefix, r.profiles), id);
    if (price.inputPerMTok === 0 && price.outputPerMTok === 0) unpriced.push(model);
    return price;
  });
  return {
    run: r.name,
    suite: { name: r.suite.name, version: r.suite.version, probes: r.suite.probes.length },
    estimate,
    unpriced,
    ...(r.maxCostUsd !== undefined ? { maxCostUsd: r.maxCostUsd } : {}),
  };
}

export function formatDryRun(plan: DryRunPlan): string {
  const e = plan.estimate;
  const rows = e.perModel.map((m) => {
    const cost = plan.unpriced.includes(m.model)
      ? 'no price in its profile (counted as $0)'
      : `${formatCost(m.costUsd.low)}-${formatCost(m.costUsd.high)}`;
    return `  ${oneLine(m.model)}: ${m.requests} requests, ~${m.inputTokens} input tokens, ${cost}`;
  });
  const budget =
    plan.maxCostUsd === undefined
      ? []
      : [
          `  --max-cost ${formatCost(plan.maxCostUsd)}: ` +
            (e.costUsd.high <= plan.maxCostUsd
              ? 'the whole run fits'
              : e.costUsd.low >= plan.maxCostUsd
                ? 'the run will stop before it ends (resume with a larger budget)'
                : 'the run may stop before it ends'),
        ];
  return [
    `dry run: nothing sent. run ${oneLine(plan.run)}, ` +
      `suite ${oneLine(plan.suite.name)} ${oneLine(plan.suite.version)}` +
      ` (${plan.suite.probes} probes), ${e.perModel.length} models`,
    ...rows,
    `  total: ${formatEstimate(e)}`,
    ...budget,
  ].join('\n');
}

/** Print the plan on stdout (JSON with --json). */
export function printDryRun(request: DryRunRequest, json: boolean): void {
  const plan = dryRunPlan(request);
  process.stdout.write(json ? `${JSON.stringify({ dryRun: true, ...plan }, null, 2)}\n` : `${formatDryRun(plan)}\n`);
}
