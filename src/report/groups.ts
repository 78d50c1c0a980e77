// What colours a model in every figure: its family from a labels file (FAMILIES.tsv, as `phylo score` reads it), or
// else its provider (the part of its model ref before the first colon). One colour per group, the same everywhere.
import { familiesOfLeaves } from '../core/families.js';

/** Twenty distinguishable colours (Tableau 20, reordered so that the first ten are the strong ones). */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#79706e',
  '#a0cbe8',
  '#ffbe7d',
  '#ff9d9a',
  '#86bcb6',
  '#8cd17d',
  '#f1ce63',
  '#d4a6c8',
  '#fabfd2',
  '#d7b5a6',
  '#bab0ac',
] as const;

export const UNLABELLED = '(no label)';

export interface Groups {
  /** What the groups are: 'family' (from a labels file) or 'provider'. */
  readonly by: 'family' | 'provider';
  /** Group of every model label. */
  readonly of: ReadonlyMap<string, string>;
  /** Groups in legend order (sorted, the unlabelled last), each with its colour. */
  readonly legend: readonly { readonly group: string; readonly colour: string }[];
  colour(model: string): string;
}

/** `openai:gpt-4o` -> openai; an imported `replay:anthropic:claude-3` -> anthropic; `replay:gpt4_0613` -> replay. */
export function providerOf(model: string): string {
  const parts = model.split(':');
  if (parts.length < 2) return UNLABELLED;
  if (parts[0] === 'replay' && parts.length > 2) return parts[1]!;
  return parts[0]!;
}

/** Groups of `models`: by family when `families` is given (model -> family, bare names match refs), else provider. */
export function modelGroups(models: readonly string[], families?: ReadonlyMap<string, string>): Groups {
  const of = new Map<string, string>();
  if (families) {
    const found = familiesOfLeaves(models, families);
    for (const m of models) of.set(m, found.get(m)?.family ?? UNLABELLED);
  } else for (const m of models) of.set(m, providerOf(m));
  const names = [...new Set(of.values())].sort((a, b) =>
    a === UNLABELLED ? 1 : b === UNLABELLED ? -1 : a.localeCompare(b),
  );
  const colourOf = new Map(names.map((g, i) => [g, g === UNLABELLED ? '#555555' : PALETTE[i % PALETTE.length]!]));
  return {
    by: families ? 'family' : 'provider',
    of,
    legend: names.map((group) => ({ group, colour: colourOf.get(group)! })),
    colour: (model) => colourOf.get(of.get(model) ?? UNLABELLED) ?? '#555555',
  };
}
