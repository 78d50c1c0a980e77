// Two runs of the same models side by side: how far apart their trees are (Robinson-Foulds 1981), which models moved
// most in the tree (change of their patristic-distance profile), how far each model's own phenotype drifted, and the
// drift audit (equality test per model, Holm-adjusted) on the responses the analysed runs carry.
import type { ModelRef, ProbeId, RunName, Sample } from '../core/types.js';
import type { Tree } from '../phylo/tree.js';
import { patristicDistances, robinsonFoulds, leafLabels, type TreeMethod } from '../phylo/index.js';
import type { EvidenceProbe, EvidenceResponse, TraitTable } from '../analysis/evidence.js';
import { auditDrift, type DriftReport } from './drift.js';
import type { EqualityOptions } from './equality.js';
import type { RunSamples } from './model-samples.js';

type TreeMethodName = TreeMethod;

/** What the comparison reads of an analysed run (the TUI's ResultsData has these fields). */
export interface AnalysedRun {
  readonly run: string;
  readonly models: readonly string[];
  readonly signals: readonly string[];
  tree(signal: string, method: TreeMethodName): Tree;
  readonly traits: TraitTable;
  readonly probes: readonly EvidenceProbe[];
  responses(probe: string): readonly EvidenceResponse[];
}

export interface ModelShift {
  readonly model: string;
  /** Mean absolute change of its scale-free patristic distances to the other shared models. */
  readonly treeShift: number;
  /** RMS of the standardised trait differences between its two phenotypes (NaN without shared traits). */
  readonly phenotypeDistance: number;
}

export interface RunComparison {
  readonly a: string;
  readonly b: string;
  readonly signal: string;
  readonly method: TreeMethodName;
  readonly shared: readonly string[];
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  readonly rf: { readonly rf: number; readonly normalized: number; readonly max: number } | undefined;
  readonly treeA: Tree | undefined;
  readonly treeB: Tree | undefined;
  /** Shared models, the most moved first. */
  readonly models: readonly ModelShift[];
  readonly note?: string;
}

/** Patristic distances of the shared leaves divided by their mean, so trees of different overall scale compare. */
function scaledProfiles(tree: Tree, shared: readonly string[]): Map<string, Float64Array> {
  const p = patristicDistances(tree);
  const n = p.labels.length;
  const at = new Map(p.labels.map((l, i) => [l, i]));
  let sum = 0;
  let count = 0;
  for (const x of shared)
    for (const y of shared)
      if (x < y) {
        sum += p.values[at.get(x)! * n + at.get(y)!]!;
        count++;
      }
  const mean = count > 0 && sum > 0 ? sum / count : 1;
  const out = new Map<string, Float64Array>();
  for (const x of shared)
    out.set(
      x,
      Float64Array.from(shared, (y) => p.values[at.get(x)! * n + at.get(y)!]! / mean),
    );
  return out;
}

/** Per model, RMS of trait differences in units of the pooled standard deviation of that trait over both runs. */
export function phenotypeDistances(a: TraitTable, b: TraitTable, models: readonly string[]): Map<string, number> {
  const traits = a.traits.filter((t) => b.traits.includes(t));
  const ia = traits.map((t) => a.traits.indexOf(t));
  const ib = traits.map((t) => b.traits.indexOf(t));
  const sd = traits.map((_, k) => {
    const xs = [...a.rows.map((r) => r.values[ia[k]!]!), ...b.rows.map((r) => r.values[ib[k]!]!)].filter((v) =>
      Number.isFinite(v),
    );
    if (xs.length < 2) return 0;
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    return Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1));
  });
  const rowA = new Map(a.rows.map((r) => [r.model, r.values]));
  const rowB = new Map(b.rows.map((r) => [r.model, r.values]));
  const out = new Map<string, number>();
  for (const m of models) {
    const va = rowA.get(m);
    const vb = rowB.get(m);
    let sum = 0;
    let used = 0;
    if (va && vb) {
      for (let k = 0; k < traits.length; k++) {
        const x = va[ia[k]!]!;
        const y = vb[ib[k]!]!;
        // A trait constant over both runs carries no information about drift.
        if (!Number.isFinite(x) || !Number.isFinite(y) || !(sd[k]! > 0)) continue;
        sum += ((x - y) / sd[k]!) ** 2;
        used++;
      }
    }
    out.set(m, used > 0 ? Math.sqrt(sum / used) : NaN);
  }
  return out;
}

export function compareRuns(a: AnalysedRun, b: AnalysedRun, signal: string, method: TreeMethodName): RunComparison {
  const inB = new Set(b.models);
  const shared = a.models.filter((m) => inB.has(m));
  const onlyA = a.models.filter((m) => !inB.has(m));
  const onlyB = b.models.filter((m) => !a.models.includes(m));
  const pheno = phenotypeDistances(a.traits, b.traits, shared);
  const base = { a: a.run, b: b.run, signal, method, shared, onlyA, onlyB };
  if (!a.signals.includes(signal) || !b.signals.includes(signal)) {
    return {
      ...base,
      rf: undefined,
      treeA: undefined,
      treeB: undefined,
      models: shared.map((m) => ({ model: m, treeShift: NaN, phenotypeDistance: pheno.get(m)! })),
      note: `signal ${signal} is not in both runs`,
    };
  }
  const treeA = a.tree(signal, method);
  const treeB = b.tree(signal, method);
  const sameLeaves = onlyA.length === 0 && onlyB.length === 0 && leafLabels(treeA).length === leafLabels(treeB).length;
  const rf = sameLeaves && shared.length >= 4 ? robinsonFoulds(treeA, treeB) : undefined;
  const pa = scaledProfiles(treeA, shared);
  const pb = scaledProfiles(treeB, shared);
  const models = shared
    .map((m) => {
      const x = pa.get(m)!;
      const y = pb.get(m)!;
      let s = 0;
      for (let k = 0; k < x.length; k++) s += Math.abs(x[k]! - y[k]!);
      return { model: m, treeShift: shared.length > 1 ? s / (shared.length - 1) : 0, phenotypeDistance: pheno.get(m)! };
    })
    .sort((p, q) => q.treeShift - p.treeShift);
  const note = !sameLeaves
    ? 'the runs have different models: RF needs the same leaves, shifts use the shared models'
    : shared.length < 4
      ? 'RF is defined from 4 shared models'
      : undefined;
  return { ...base, rf, treeA, treeB, models, note };
}

/** The samples an analysed run shows as evidence, per model (answered texts only; failures carry no text). */
export function analysedRunSamples(data: AnalysedRun): RunSamples {
  const models = new Map<string, Sample[]>(data.models.map((m) => [m, []]));
  for (const probe of data.probes)
    for (const r of data.responses(probe.id))
      r.texts.forEach((text, index) => {
        models.get(r.model)?.push({
          run: data.run as RunName,
          model: r.model as ModelRef,
          probe: probe.id as ProbeId,
          index,
          outcome: {
            status: 'ok',
            text,
            finishReason: 'stop',
            usage: { inputTokens: 0, outputTokens: 0 },
            temperatureUsed: Number.NaN,
          },
          latencyMs: 0,
          attempts: 1,
          costUsd: 0,
          at: '',
        });
      });
  return { name: data.run, models };
}

/** The drift audit of the shared models of two analysed runs (see src/audit/drift.ts). */
export function driftOfRuns(a: AnalysedRun, b: AnalysedRun, options: EqualityOptions = {}): DriftReport {
  return auditDrift(analysedRunSamples(a), analysedRunSamples(b), options);
}
