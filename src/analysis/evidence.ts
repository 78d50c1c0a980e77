// What a reader checks a tree against: each model's mean traits, and every probe with each model's answers to it
// (the TUI's evidence tab and a report show them). Pure: computed from the run's response table.
import type { Probe } from '../core/types.js';
import { cellOf, type ResponseTable } from '../phenotype/responses.js';
import type { TraitProfile } from '../phenotype/trait-profile.js';
import { TRAITS } from '../phenotype/traits.js';
import type { RunData } from '../core/run.js';
import { distanceTraitColumns } from './signals/traits.js';

export interface TraitTable {
  readonly traits: readonly string[];
  readonly rows: readonly { readonly model: string; readonly values: readonly number[] }[];
}

export interface EvidenceProbe {
  readonly id: string;
  readonly tags: readonly string[];
  /** The prompt as one text (user turns joined, or the raw prefix). */
  readonly prompt: string;
}

export interface EvidenceResponse {
  readonly model: string;
  /** Untrusted model text: a view strips control sequences (terminal) or escapes it (HTML) before showing it. */
  readonly texts: readonly string[];
  readonly errors: number;
}

/** Each model's mean of the traits the traits signal uses (those with a distance that apply somewhere). */
export function traitTable(table: ResponseTable, profile: TraitProfile): TraitTable {
  const T = profile.traits.length;
  const columns = distanceTraitColumns(profile, table.models.length);
  return {
    traits: columns.map((t) => TRAITS[t]!.name),
    rows: table.models.map((model, m) => ({ model, values: columns.map((t) => profile.mean[m * T + t]!) })),
  };
}

function promptText(probe: Probe): string {
  return probe.prompt.kind === 'prefix'
    ? probe.prompt.prefix
    : probe.prompt.messages.map((m) => (m.role === 'user' ? m.content : `[${m.role}] ${m.content}`)).join('\n');
}

export function evidenceProbes(table: ResponseTable): EvidenceProbe[] {
  return table.probes.map((p) => ({ id: String(p.id), tags: p.tags, prompt: promptText(p) }));
}

/** Every model's answers to a probe (by id) and how many of its attempts failed; [] for an unknown probe. */
export function probeResponses(data: RunData, table: ResponseTable): (probe: string) => EvidenceResponse[] {
  const probeAt = new Map(table.probes.map((p, i) => [String(p.id), i]));
  const errors = new Map<string, number>();
  for (const s of data.samples) {
    if (s.outcome.status !== 'error') continue;
    const key = `${s.probe}\n${s.model}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  return (probe) => {
    const p = probeAt.get(probe);
    if (p === undefined) return [];
    return table.models.map((model, i) => ({
      model,
      texts: cellOf(table, p, i),
      errors: errors.get(`${probe}\n${model}`) ?? 0,
    }));
  };
}
