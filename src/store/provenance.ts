// What each endpoint said it was, per model of a run: every distinct (answered model id, fingerprint) with its count
// and first/last time seen, and the changes an auditor must see (an alias moving to a new snapshot mid-run, a new
// system_fingerprint, a re-pulled Ollama tag), within one run or between two. Pure: from RunData to plain data.
import type { RunData } from '../core/run.js';

export interface ProvenanceEntry {
  /** The model id the API answered with (`model` in the response); null when it said none. */
  readonly servedModel: string | null;
  /** system_fingerprint, Ollama digest or lab zoo fingerprint; null when none was given. */
  readonly fingerprint: string | null;
  readonly count: number;
  /** ISO times the pair was first and last collected. */
  readonly firstSeen: string;
  readonly lastSeen: string;
}

export interface ModelProvenance {
  readonly model: string;
  /** Distinct pairs, in the order first seen. */
  readonly entries: readonly ProvenanceEntry[];
  readonly servedModels: readonly string[];
  readonly fingerprints: readonly string[];
  readonly baseURLs: readonly string[];
  readonly clients: readonly string[];
  /** More than one answered id or fingerprint within the run. */
  readonly changed: boolean;
}

export interface ProvenanceChange {
  readonly model: string;
  readonly what: 'servedModel' | 'fingerprint';
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** Per model of the run (in the run's order), from its answered samples. */
export function provenanceOf(data: RunData): ModelProvenance[] {
  const byModel = new Map<
    string,
    Map<string, { servedModel: string | null; fingerprint: string | null; n: number; first: string; last: string }>
  >();
  const extra = new Map<string, { baseURLs: Set<string>; clients: Set<string> }>();
  for (const m of data.run.models) {
    byModel.set(m, new Map());
    extra.set(m, { baseURLs: new Set(), clients: new Set() });
  }
  // Time order, so that "first seen" and the listed order follow the collection, not the storage order.
  const samples = [...data.samples].sort((a, b) => seenAt(a).localeCompare(seenAt(b)));
  for (const s of samples) {
    if (s.outcome.status !== 'ok') continue;
    let pairs = byModel.get(s.model);
    let more = extra.get(s.model);
    if (!pairs || !more) {
      pairs = new Map();
      more = { baseURLs: new Set(), clients: new Set() };
      byModel.set(s.model, pairs);
      extra.set(s.model, more);
    }
    const servedModel = s.outcome.servedModel ?? null;
    const fingerprint = s.outcome.fingerprint ?? null;
    const key = `${servedModel ?? ''}\u0000${fingerprint ?? ''}`;
    const t = seenAt(s);
    const e = pairs.get(key);
    if (e) {
      e.n++;
      e.last = t;
    } else pairs.set(key, { servedModel, fingerprint, n: 1, first: t, last: t });
    if (s.baseURL) more.baseURLs.add(s.baseURL);
    if (s.outcome.client) more.clients.add(s.outcome.client);
  }
  return [...byModel].map(([model, pairs]) => {
    const entries = [...pairs.values()].map((e) => ({
      servedModel: e.servedModel,
      fingerprint: e.fingerprint,
      count: e.n,
      firstSeen: e.first,
      lastSeen: e.last,
    }));
    const servedModels = distinct(entries.map((e) => e.servedModel));
    const fingerprints = distinct(entries.map((e) => e.fingerprint));
    const more = extra.get(model)!;
    return {
      model,
      entries,
      servedModels,
      fingerprints,
      baseURLs: [...more.baseURLs],
      clients: [...more.clients],
      changed: servedModels.length > 1 || fingerprints.length > 1,
    };
  });
}

/** What changed between two runs, per model in both: the answered ids or fingerprints are not the same sets. */
export function provenanceChanges(
  before: readonly ModelProvenance[],
  after: readonly ModelProvenance[],
): ProvenanceChange[] {
  const out: ProvenanceChange[] = [];
  const old = new Map(before.map((p) => [p.model, p]));
  for (const p of after) {
    const o = old.get(p.model);
    if (!o) continue;
    if (!sameSet(o.servedModels, p.servedModels))
      out.push({ model: p.model, what: 'servedModel', before: o.servedModels, after: p.servedModels });
    if (!sameSet(o.fingerprints, p.fingerprints))
      out.push({ model: p.model, what: 'fingerprint', before: o.fingerprints, after: p.fingerprints });
  }
  return out;
}

const seenAt = (s: RunData['samples'][number]): string => s.collectedAt ?? s.at;

function distinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
