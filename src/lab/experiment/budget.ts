// The budget table: every signal's tree against the truth as queries per model grow to 1,000, beside PhyloLM's own
// recipe at the same budget (random genes, N samples each, Nei's distance, NJ; Yax et al. 2024), and active probing
// (a pilot scores candidates by an F-ratio, the rest of the budget goes to the best; src/analysis/probe-selection.ts).
// Every design is a seeded subset of two pooled runs (./position-runs.ts); the mean over draws is reported.
import { analyseRunLazily } from '../../analysis/analysed-run.js';
import {
  alleleMismatch,
  planAdaptive,
  scoreCandidate,
  selectProbes,
  type PilotCandidate,
} from '../../analysis/probe-selection.js';
import { coarseHellinger } from '../../analysis/signals/hellinger.js';
import { DEFAULT_METHOD, TEXT_SIGNALS, type Signal } from '../../analysis/signals/index.js';
import { InputError } from '../../core/errors.js';
import { seededRng } from '../../core/random.js';
import type { RunData } from '../../core/run.js';
import { firstTokenDistribution, type TokenDistribution } from '../../phenotype/logprob-profile.js';
import { robinsonFoulds, type Tree, type TreeMethod } from '../../phylo/index.js';
import { type TextGeneDesign, windowOf } from './position-runs.js';
import { subsetRun } from './zoo-run.js';

export const BUDGETS: readonly number[] = [50, 100, 250, 500, 1000];
/** Seeded draws of the random designs below the pool's size (one draw when the budget takes the whole pool). */
export const BUDGET_DRAWS = 5;
/** Active probing: the pilot's share of the budget, and the samples of a text gene in the pilot (two: the fewest
 * that show within-model divergence). */
export const PILOT_SHARE = 0.4;
export const PILOT_SAMPLES = 2;

export interface BudgetCell {
  /** Mean queries per model the design spent (over draws). */
  readonly queries: number;
  /** Mean normalized RF to the truth over draws. */
  readonly normalized: number;
  readonly draws: number;
}

export interface BudgetRow {
  readonly signal: Signal;
  readonly method: TreeMethod;
  /** How the probes were chosen and asked, in a few words. */
  readonly design: string;
  readonly baseline: boolean;
  /** One cell per budget in BUDGETS order; undefined where the design cannot spend so little. */
  readonly cells: readonly (BudgetCell | undefined)[];
}

export interface BudgetTable {
  readonly budgets: readonly number[];
  readonly rows: readonly BudgetRow[];
}

type Rng = () => number;

function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Probe ids grouped by window, in suite order. */
function windows(data: RunData): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of data.run.suite.probes) {
    const w = windowOf(p);
    const list = out.get(w) ?? [];
    list.push(String(p.id));
    out.set(w, list);
  }
  return out;
}

function normalizedRf(data: RunData, signal: Signal, truth: Tree): number | undefined {
  try {
    return robinsonFoulds(analyseRunLazily(data).tree({ signal }), truth).normalized;
  } catch (err) {
    if (err instanceof InputError) return undefined;
    throw err;
  }
}

/** One design at one budget: `draw(rng)` gives the data a draw sees and the queries it spent, or undefined. */
type Draw = (rng: Rng) => { data: RunData; queries: number } | undefined;

function cell(draw: Draw, signal: Signal, truth: Tree, draws: number, seed: number): BudgetCell | undefined {
  const rf: number[] = [];
  const queries: number[] = [];
  for (let d = 0; d < draws; d++) {
    const got = draw(seededRng(seed + 7919 * d));
    if (!got) return undefined;
    const r = normalizedRf(got.data, signal, truth);
    if (r === undefined) return undefined;
    rf.push(r);
    queries.push(got.queries);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { queries: mean(queries), normalized: mean(rf), draws };
}

const modelCount = (data: RunData) => new Set(data.samples.map((s) => s.model)).size;

/** Random windows, every cut of each: `budget / cuts` windows. */
function randomWindows(data: RunData, budget: number): { draw: Draw; draws: number } {
  const groups = [...windows(data).values()];
  const cuts = Math.max(1, groups[0]?.length ?? 1);
  const k = Math.floor(budget / cuts);
  const all = k >= groups.length;
  return {
    draws: all ? 1 : BUDGET_DRAWS,
    draw: (rng) => {
      if (k < 1) return undefined;
      const chosen = shuffled(groups, rng).slice(0, k).flat();
      const d = subsetRun(data, new Set(chosen), 1);
      return { data: d, queries: d.samples.length / modelCount(data) };
    },
  };
}

/**
 * Active logprob probing: the pilot asks the last cut of random candidate windows (PILOT_SHARE of the budget) and
 * scores each by its F-ratio over the models' next-token distributions (a deterministic probe has no within-model
 * term: the ranking is by between-model divergence); the rest asks every other cut of the best windows. The tree
 * uses everything asked.
 */
function adaptiveWindows(data: RunData, budget: number): { draw: Draw; draws: number } {
  const groups = [...windows(data).entries()];
  const cuts = Math.max(1, groups[0]?.[1].length ?? 1);
  const candidates = Math.min(groups.length, Math.floor(PILOT_SHARE * budget));
  const selected = Math.min(candidates, Math.floor((budget - candidates) / Math.max(1, cuts - 1)));
  const byProbe = new Map<string, Map<string, TokenDistribution>>();
  for (const s of data.samples) {
    if (s.outcome.status !== 'ok') continue;
    const dist = firstTokenDistribution(s.outcome.logprobs?.[0]);
    if (!dist) continue;
    const m = byProbe.get(s.probe) ?? new Map<string, TokenDistribution>();
    m.set(s.model, dist);
    byProbe.set(s.probe, m);
  }
  const models = [...new Set(data.samples.map((s) => s.model))];
  return {
    draws: candidates >= groups.length ? 1 : BUDGET_DRAWS,
    draw: (rng) => {
      if (candidates < 3 || selected < 1) return undefined;
      const pool = shuffled(groups, rng).slice(0, candidates);
      const pilotProbe = new Map(pool.map(([w, ids]) => [w, ids.at(-1)!]));
      const scores = pool.map(([w]) => {
        const dists = byProbe.get(pilotProbe.get(w)!);
        const candidate: PilotCandidate<TokenDistribution> = {
          id: w,
          byModel: models.map((m) => (dists?.get(m) ? [dists.get(m)!] : [])),
        };
        return scoreCandidate(candidate, coarseHellinger);
      });
      const best = new Set(selectProbes(scores, selected));
      const asked = pool.flatMap(([w, ids]) => (best.has(w) ? ids : [pilotProbe.get(w)!]));
      const d = subsetRun(data, new Set(asked), 1);
      return { data: d, queries: d.samples.length / modelCount(data) };
    },
  };
}

/** PhyloLM: random genes, every sample of each (`budget / samples` genes). */
function randomGenes(data: RunData, budget: number, samples: number): { draw: Draw; draws: number } {
  const genes = data.run.suite.probes.map((p) => String(p.id));
  const k = Math.floor(budget / samples);
  return {
    draws: k >= genes.length ? 1 : BUDGET_DRAWS,
    draw: (rng) => {
      if (k < 3) return undefined;
      const d = subsetRun(data, new Set(shuffled(genes, rng).slice(0, k)), samples);
      return { data: d, queries: d.samples.length / modelCount(data) };
    },
  };
}

/**
 * Active PhyloLM: a pilot of PILOT_SAMPLES samples of random candidate genes (PILOT_SHARE of the budget), each scored
 * by the F-ratio of allele mismatch between models to mismatch within a model; the rest of the budget brings the best
 * genes to `samples` samples. The tree uses the selected genes (two samples cannot estimate allele frequencies).
 */
function adaptiveGenes(data: RunData, budget: number, samples: number): { draw: Draw; draws: number } {
  const genes = data.run.suite.probes.map((p) => String(p.id));
  const candidates = Math.min(genes.length, Math.floor((PILOT_SHARE * budget) / PILOT_SAMPLES));
  const plan = planAdaptive(budget, candidates, PILOT_SAMPLES, samples);
  const models = [...new Set(data.samples.map((s) => s.model))];
  const answers = new Map<string, string[]>();
  for (const s of data.samples) {
    if (s.outcome.status !== 'ok' || s.index >= PILOT_SAMPLES) continue;
    const key = `${s.probe}\u0000${s.model}`;
    answers.set(key, [...(answers.get(key) ?? []), s.outcome.text]);
  }
  return {
    draws: candidates >= genes.length ? 1 : BUDGET_DRAWS,
    draw: (rng) => {
      if (plan.selected < 3) return undefined;
      const pool = shuffled(genes, rng).slice(0, candidates);
      const scores = pool.map((g) =>
        scoreCandidate({ id: g, byModel: models.map((m) => answers.get(`${g}\u0000${m}`) ?? []) }, alleleMismatch),
      );
      const best = selectProbes(scores, plan.selected);
      const d = subsetRun(data, new Set(best), samples);
      return { data: d, queries: plan.pilotQueries + best.length * plan.followUpSamples };
    },
  };
}

/**
 * Each sample cut to its first character: a sample of the next-byte distribution at the gene's cut, the unit the
 * logprob genes read. Six-byte alleles at 8 samples are nearly all distinct (Nei's identity then sees mostly
 * mismatches); one-byte alleles keep few states, so 8 samples estimate their frequencies.
 */
export function firstByteAlleles(data: RunData): RunData {
  return {
    run: data.run,
    samples: data.samples.map((s) =>
      s.outcome.status === 'ok' ? { ...s, outcome: { ...s.outcome, text: s.outcome.text.slice(0, 1) } } : s,
    ),
  };
}

/**
 * The table: logprob genes (logprobs and hellinger signals, random and active windows) and sampled text (PhyloLM's
 * recipe as the baseline, its active version, and every text signal on the same random genes).
 */
export function budgetTable(
  positions: RunData,
  genes: RunData,
  geneSamples: number,
  truth: Tree,
  seed: number,
  budgets: readonly number[] = BUDGETS,
  text?: { readonly data: RunData; readonly design: TextGeneDesign },
): BudgetTable {
  const rows: BudgetRow[] = [];
  const row = (signal: Signal, design: string, baseline: boolean, at: (q: number) => { draw: Draw; draws: number }) =>
    rows.push({
      signal,
      method: DEFAULT_METHOD[signal],
      design,
      baseline,
      cells: budgets.map((q) => {
        const { draw, draws } = at(q);
        return cell(draw, signal, truth, draws, seed);
      }),
    });
  for (const signal of ['hellinger', 'logprobs'] as const) {
    row(signal, 'logprob genes, random windows', false, (q) => randomWindows(positions, q));
    row(signal, 'logprob genes, active windows', false, (q) => adaptiveWindows(positions, q));
  }
  row('alleles', `PhyloLM: random genes x ${geneSamples} samples`, true, (q) => randomGenes(genes, q, geneSamples));
  row('alleles', `active genes x ${geneSamples} samples`, false, (q) => adaptiveGenes(genes, q, geneSamples));
  const firstByte = firstByteAlleles(genes);
  row('alleles', `random genes x ${geneSamples}, first byte`, false, (q) => randomGenes(firstByte, q, geneSamples));
  row('alleles', `active genes x ${geneSamples}, first byte`, false, (q) => adaptiveGenes(firstByte, q, geneSamples));
  for (const signal of TEXT_SIGNALS.filter((s) => s !== 'alleles'))
    row(signal, `random genes x ${geneSamples} samples`, false, (q) => randomGenes(genes, q, geneSamples));
  if (text) {
    const d = text.design;
    const what = `${d.bytes} bytes at temperature ${d.temperature}`;
    for (const signal of ['alleles', 'embed'] as const)
      row(signal, `text genes x ${d.samples}, ${what}`, false, (q) => randomGenes(text.data, q, d.samples));
  }
  return { budgets, rows };
}
