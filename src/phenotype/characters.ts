// Discrete traits as a character matrix (models x characters), the input of parsimony-style and character-based
// phylogenetics: one character per discrete trait and probe, its state the model's most frequent value there.
import type { TraitProfile } from './trait-profile.js';
import { TRAITS } from './traits.js';

export interface CharacterMatrix {
  readonly models: readonly string[];
  /** `trait@probe` */
  readonly characters: readonly string[];
  /** `states[m * characters + c]`: the state code, -1 where the model has no response (missing data, "?"). */
  readonly states: Int16Array;
}

/** Characters from the binary and categorical traits; a binary trait's state is its rounded per-probe mean. */
export function characterMatrix(profile: TraitProfile): CharacterMatrix {
  const discrete = TRAITS.map((t, i) => ({ t, i })).filter(({ t }) => t.kind !== 'continuous' && t.name !== 'correct');
  const n = profile.models.length;
  const T = profile.traits.length;
  const characters: string[] = [];
  const columns: { trait: number; probe: number }[] = [];
  for (let p = 0; p < profile.probes.length; p++) {
    for (const { t, i } of discrete) {
      characters.push(`${t.name}@${profile.probes[p]}`);
      columns.push({ trait: i, probe: p });
    }
  }
  const states = new Int16Array(n * columns.length);
  for (let m = 0; m < n; m++) {
    for (let c = 0; c < columns.length; c++) {
      const { trait, probe } = columns[c]!;
      const v = profile.probeMean[(probe * n + m) * T + trait]!;
      const sd = profile.probeSpread[(probe * n + m) * T + trait]!;
      // Samples that disagree on a categorical trait have no single state (the mean of codes is not a code): coded
      // missing, as polymorphic cells often are. A binary trait takes its majority state.
      const polymorphic = TRAITS[trait]!.kind === 'categorical' && sd > 0;
      states[m * columns.length + c] = Number.isNaN(v) || polymorphic ? -1 : Math.round(v);
    }
  }
  return { models: profile.models, characters, states };
}

/** Indices of the characters with more than one state among the models: the only ones that say anything. */
export function variableCharacters(cm: CharacterMatrix): number[] {
  const n = cm.models.length;
  const C = cm.characters.length;
  const out: number[] = [];
  for (let c = 0; c < C; c++) {
    const seen = new Set<number>();
    for (let m = 0; m < n; m++) {
      const s = cm.states[m * C + c]!;
      if (s >= 0) seen.add(s);
    }
    if (seen.size > 1) out.push(c);
  }
  return out;
}
