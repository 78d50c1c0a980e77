// The samples of a run as a probes x models table of response texts: what every phenotype is computed from.
// Failed samples are missing data, never an empty answer; an empty answer that succeeded is a response.
import type { Probe } from '../core/types.js';
import type { RunData } from '../core/run.js';

export interface ResponseTable {
  /** Model refs, in the run's order: the labels of every matrix built from this table. */
  readonly models: readonly string[];
  /** Probes that at least one model answered, in the suite's order. */
  readonly probes: readonly Probe[];
  /** `cells[p * models.length + m]`: the texts of model m's successful samples of probe p, by sample index. */
  readonly cells: readonly (readonly string[])[];
}

export function cellOf(table: ResponseTable, probe: number, model: number): readonly string[] {
  return table.cells[probe * table.models.length + model]!;
}

/** Align samples by probe id and model; probes nobody answered are dropped. */
export function responseTable(data: RunData): ResponseTable {
  const models = data.run.models.map(String);
  const modelIndex = new Map(models.map((m, i) => [m, i]));
  // Models that appear only in samples (an import that did not list them) still count.
  for (const s of data.samples) {
    if (!modelIndex.has(s.model)) {
      modelIndex.set(s.model, models.length);
      models.push(s.model);
    }
  }
  const suiteProbes = data.run.suite.probes;
  const probeIndex = new Map(suiteProbes.map((p, i) => [String(p.id), i]));
  const extra: Probe[] = [];
  for (const s of data.samples) {
    if (!probeIndex.has(s.probe)) {
      probeIndex.set(s.probe, suiteProbes.length + extra.length);
      extra.push({ id: s.probe, tags: [], prompt: { kind: 'chat', messages: [] } });
    }
  }
  const allProbes = [...suiteProbes, ...extra];
  const n = models.length;
  const raw: { index: number; text: string }[][] = Array.from({ length: allProbes.length * n }, () => []);
  for (const s of data.samples) {
    if (s.outcome.status !== 'ok') continue;
    raw[probeIndex.get(s.probe)! * n + modelIndex.get(s.model)!]!.push({ index: s.index, text: s.outcome.text });
  }
  const probes: Probe[] = [];
  const cells: string[][] = [];
  for (let p = 0; p < allProbes.length; p++) {
    const row = raw.slice(p * n, (p + 1) * n);
    if (row.every((c) => c.length === 0)) continue;
    probes.push(allProbes[p]!);
    for (const c of row) cells.push(c.sort((a, b) => a.index - b.index).map((x) => x.text));
  }
  return { models, probes, cells };
}

/** How many probes each model answered: the analysis reports models with gaps. */
export function answeredCounts(table: ResponseTable): Int32Array {
  const n = table.models.length;
  const counts = new Int32Array(n);
  for (let p = 0; p < table.probes.length; p++)
    for (let m = 0; m < n; m++) if (table.cells[p * n + m]!.length > 0) counts[m]!++;
  return counts;
}
