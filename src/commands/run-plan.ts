// `phylo run --dry-run`: what a run would send and what it would cost, per model, from the profiles' price tables
// (src/probes/estimate.ts), without resolving a key or sending anything. An adaptive run's plan is its whole budget:
// the pilot, and a follow-up costed as if the pilot chose the costliest probes (an upper bound; the choice is unknown).
import { type AdaptiveSettings, adaptivePlan, phaseSuite, plannedQueries } from '../collect/adaptive-plan.js';
import { formatCost } from '../core/format.js';
import { parseModelRef } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import type { ModelRef, Suite } from '../core/types.js';
import { estimateRun, formatEstimate, type Price, promptTokens, type RunEstimate } from '../probes/estimate.js';
import { priceFor, type Profile } from '../providers/profile.js';
import type { AdaptivePlanRecord } from '../store/probe-scores.js';
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
  /** `--adaptive`: the budget's settings (samples: per chosen probe). */
  readonly adaptive?: AdaptiveSettings;
}

export interface DryRunPlan {
  readonly run: string;
  readonly suite: { readonly name: string; readonly version: string; readonly probes: number };
  readonly estimate: RunEstimate;
  /** Models whose profile has no price for them (counted as $0). */
  readonly unpriced: readonly ModelRef[];
  readonly maxCostUsd?: number;
  readonly adaptive?: AdaptivePlanRecord;
}

/** Sum of one-model estimates. */
function merged(parts: readonly RunEstimate[]): RunEstimate {
  const perModel = parts.flatMap((e) => e.perModel);
  const sum = (f: (e: RunEstimate) => number): number => parts.reduce((a, e) => a + f(e), 0);
  return {
    requests: sum((e) => e.requests),
    inputTokens: sum((e) => e.inputTokens),
    outputTokens: { typical: sum((e) => e.outputTokens.typical), max: sum((e) => e.outputTokens.max) },
    costUsd: { low: sum((e) => e.costUsd.low), high: sum((e) => e.costUsd.high) },
    perModel,
  };
}

/** Per model, the pilot and a follow-up on the probes that cost that model most per sample (tokens break ties). */
function adaptiveEstimate(r: DryRunRequest, plan: AdaptivePlanRecord, price: (m: ModelRef) => Price): RunEstimate {
  type P = Suite['probes'][number];
  const output = (p: P): number => p.sampling?.maxTokens ?? r.suite.defaults.sampling.maxTokens;
  return merged(
    r.models.map((model) => {
      const { inputPerMTok, outputPerMTok } = price(model);
      const cost = (p: P): number => promptTokens(p) * inputPerMTok + output(p) * outputPerMTok;
      const tokens = (p: P): number => promptTokens(p) + output(p);
      const costliest = [...r.suite.probes]
        .sort((a, b) => cost(b) - cost(a) || tokens(b) - tokens(a))
        .slice(0, plan.selected);
      const suite = phaseSuite(r.suite, plan, new Set(costliest.map((p) => String(p.id))));
      return estimateRun(suite, [model], undefined, price);
    }),
  );
}

export function dryRunPlan(r: DryRunRequest): DryRunPlan {
  const unpriced: ModelRef[] = [];
  const price = (model: ModelRef): Price => {
    const { prefix, model: id } = parseModelRef(model);
    const p = priceFor(r.registry.profileFor(prefix, r.profiles), id);
    if (p.inputPerMTok === 0 && p.outputPerMTok === 0 && !unpriced.includes(model)) unpriced.push(model);
    return p;
  };
  const adaptive = r.adaptive ? adaptivePlan(r.adaptive, r.suite.probes.length) : undefined;
  const estimate = adaptive ? adaptiveEstimate(r, adaptive, price) : estimateRun(r.suite, r.models, r.samples, price);
  return {
    run: r.name,
    suite: { name: r.suite.name, version: r.suite.version, probes: r.suite.probes.length },
    estimate,
    unpriced,
    ...(r.maxCostUsd !== undefined ? { maxCostUsd: r.maxCostUsd } : {}),
    ...(adaptive ? { adaptive } : {}),
  };
}

/** The adaptive plan in one line: how the budget splits between the pilot and the follow-up. */
export function formatAdaptivePlan(a: AdaptivePlanRecord): string {
  return (
    `  adaptive: budget ${a.budget} queries per model: pilot ${a.candidates} probes x ${a.pilotSamples} samples ` +
    `(${a.pilotQueries}), then the ${a.selected} best by F x ${a.followUpSamples} more samples ` +
    `(${a.selected * a.followUpSamples}); ${plannedQueries(a)} queries per model`
  );
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
    ...(plan.adaptive
      ? [
          formatAdaptivePlan(plan.adaptive),
          '  the pilot chooses the follow-up: its cost is estimated on the costliest probes (an upper bound)',
        ]
      : []),
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
