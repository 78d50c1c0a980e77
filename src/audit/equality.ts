// Do two models answer from the same distribution? A kernel two-sample test (MMD, Gretton et al. 2012; as MET, Gao et
// al. 2024) over the probes both answered, its p-value by permutation within probes (exact for any sample counts).
import type { Sample } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { seededRng } from '../core/random.js';
import { layoutOf, type Layout } from './layout.js';
import { permutationStatistics, type Component } from './permutation.js';
import { bootstrapEffect } from './effect.js';

export interface ModelSamples {
  readonly model: string;
  readonly samples: readonly Sample[];
}

export interface EqualityOptions {
  /** Permutations of the labels within probes (default 1000). */
  permutations?: number;
  /** Seed of the permutations and of the bootstrap (default 1). */
  seed?: number;
  /** Significance level of `reject` (default 0.05). */
  alpha?: number;
  /** How many of the most contributing probes to return (default 5). */
  evidence?: number;
  /** Bootstrap replicates over probes for the effect's interval (default 200). */
  bootstrap?: number;
}

export interface ComponentResult {
  /** e.g. `ngram pooled`, `style pooled`, `ngram matched`, `logprob pooled`, `allele matched`. */
  readonly name: string;
  readonly statistic: number;
  /** Standardised by the permutation distribution; the test statistic is the sum of these. */
  readonly standardized: number;
  /** This component's own permutation p-value (for reading; the verdict uses the combined statistic). */
  readonly pValue: number;
}

export interface ProbeEvidence {
  readonly probe: string;
  /** Share of the combined statistic this probe carries (sums to about 1 over all probes when A and B differ). */
  readonly contribution: number;
  readonly a: string[];
  readonly b: string[];
}

export interface EqualityResult {
  a: string;
  b: string;
  /** Sum of the standardised components (observed). */
  statistic: number;
  pValue: number;
  alpha: number;
  reject: boolean;
  /** Probes both models answered. */
  probes: number;
  permutations: number;
  seed: number;
  effect: { estimate: number; ci95: [number, number]; name: string };
  components: ComponentResult[];
  topProbes: ProbeEvidence[];
}

/** Fewer shared probes than this and a test over one sample each has too few distinct relabellings to mean much. */
export const MIN_SHARED_PROBES = 5;

export const EQUALITY_DEFAULTS = { permutations: 1000, seed: 1, alpha: 0.05, evidence: 5, bootstrap: 200 } as const;

function textOf(s: Sample): string {
  return s.outcome.status === 'ok' ? s.outcome.text : '';
}

/** Share of the permuted values at or above the observed one, counting the observed: (1 + #{T_b >= T}) / (1 + B). */
export function permutationPValue(observed: number, permuted: ArrayLike<number>): number {
  const tol = 1e-9 * Math.max(1, Math.abs(observed));
  let above = 0;
  for (let i = 0; i < permuted.length; i++) if (permuted[i]! >= observed - tol) above++;
  return (1 + above) / (1 + permuted.length);
}

function checkLayout(a: ModelSamples, b: ModelSamples, layout: Layout): void {
  if (layout.probes.length === 0)
    throw new InputError(`models ${a.model} and ${b.model} share no answered probe: nothing to compare`);
  if (layout.probes.length < MIN_SHARED_PROBES)
    throw new InputError(
      `models ${a.model} and ${b.model} share ${layout.probes.length} answered probes; ` +
        `the test needs at least ${MIN_SHARED_PROBES}`,
    );
}

/** The paired two-sample test of A against B over their shared probes. Pure; seeded. */
export function testEquality(a: ModelSamples, b: ModelSamples, options: EqualityOptions = {}): EqualityResult {
  const permutations = Math.max(1, Math.floor(options.permutations ?? EQUALITY_DEFAULTS.permutations));
  const seed = options.seed ?? EQUALITY_DEFAULTS.seed;
  const alpha = options.alpha ?? EQUALITY_DEFAULTS.alpha;
  const evidence = options.evidence ?? EQUALITY_DEFAULTS.evidence;
  const layout = layoutOf(a.samples, b.samples);
  checkLayout(a, b, layout);
  const rng = seededRng(seed);
  const perm = permutationStatistics(layout, permutations, rng);
  const { combined, components } = combine(perm.components, perm.values, permutations);
  const observed = combined[0]!;
  const pValue = permutationPValue(observed, combined.subarray(1));
  const effect = bootstrapEffect(
    layout,
    options.bootstrap ?? EQUALITY_DEFAULTS.bootstrap,
    seededRng(seed ^ 0x5bd1e995),
  );
  const contributions = perm.probeContributions(components.map((c) => c.scale));
  const total = contributions.reduce((s, v) => s + v, 0);
  const order = contributions.map((_, i) => i).sort((x, y) => contributions[y]! - contributions[x]!);
  const topProbes = order.slice(0, Math.max(0, evidence)).map((p) => {
    const rows = layout.rowsOf(p);
    return {
      probe: layout.probes[p]!,
      contribution: total > 0 ? contributions[p]! / total : 0,
      a: rows.a.map(textOf),
      b: rows.b.map(textOf),
    };
  });
  return {
    a: a.model,
    b: b.model,
    statistic: observed,
    pValue,
    alpha,
    reject: pValue <= alpha,
    probes: layout.probes.length,
    permutations,
    seed,
    effect,
    components: components.map((c) => ({
      name: c.name,
      statistic: c.observed,
      standardized: c.standardized,
      pValue: c.pValue,
    })),
    topProbes,
  };
}

interface CombinedComponent {
  readonly name: string;
  readonly observed: number;
  readonly standardized: number;
  readonly pValue: number;
  /** 1/sd of the component under permutation (0 when constant: it then carries no information). */
  readonly scale: number;
}

/**
 * Nonparametric combination (Pesarin 2001): each component is centred and scaled by the mean and sd of its values over
 * the observed and permuted labellings (a symmetric function of them, so exchangeability holds), then summed.
 */
function combine(
  names: readonly Component[],
  values: Float64Array,
  permutations: number,
): { combined: Float64Array; components: CombinedComponent[] } {
  const c = names.length;
  const rows = permutations + 1;
  const combined = new Float64Array(rows);
  const components: CombinedComponent[] = [];
  for (let k = 0; k < c; k++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += values[r * c + k]!;
    mean /= rows;
    let ss = 0;
    for (let r = 0; r < rows; r++) ss += (values[r * c + k]! - mean) ** 2;
    const sd = Math.sqrt(ss / rows);
    const constant = !(sd > 1e-12 * Math.max(1, Math.abs(mean)));
    const scale = constant ? 0 : 1 / sd;
    const column = new Float64Array(permutations);
    for (let r = 0; r < rows; r++) {
      const v = values[r * c + k]!;
      combined[r]! += (v - mean) * scale;
      if (r > 0) column[r - 1] = v;
    }
    const observed = values[k]!;
    components.push({
      name: names[k]!.name,
      observed,
      standardized: (observed - mean) * scale,
      pValue: constant ? 1 : permutationPValue(observed, column),
      scale,
    });
  }
  return { combined, components };
}
