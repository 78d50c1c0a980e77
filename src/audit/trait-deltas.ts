// How a model's interpretable traits (src/phenotype/traits.ts) moved between two collections: mean per trait over
// a seeded subsample of the shared probes (traits cost about a millisecond a response; the verdict does not use them).
import type { Sample } from '../core/types.js';
import { randomInt, seededRng } from '../core/random.js';
import { TRAITS, traitInput, type TraitDefinition } from '../phenotype/traits.js';

/** The traits a drift report lists: length, format, refusals, tone, language. */
export const DRIFT_TRAITS = [
  'chars',
  'words',
  'lines',
  'headers',
  'bullets',
  'bold',
  'codeBlocks',
  'refusal',
  'apology',
  'hedging',
  'selfIdentification',
  'nonAsciiShare',
] as const;

/** Probes read per model for the trait means. */
export const TRAIT_PROBES = 50;

export interface TraitDelta {
  readonly trait: string;
  readonly unit: string;
  readonly old: number;
  readonly new: number;
  readonly delta: number;
}

const DEFINITIONS: readonly TraitDefinition[] = DRIFT_TRAITS.map((name) => TRAITS.find((t) => t.name === name)!);

function meanTraits(samples: readonly Sample[], probes: ReadonlySet<string>): number[] {
  const sums = new Array<number>(DEFINITIONS.length).fill(0);
  const counts = new Array<number>(DEFINITIONS.length).fill(0);
  for (const s of samples) {
    if (s.outcome.status !== 'ok' || !probes.has(s.probe)) continue;
    const input = traitInput(s.outcome.text);
    DEFINITIONS.forEach((d, i) => {
      const v = d.compute(input);
      if (Number.isFinite(v)) {
        sums[i]! += v;
        counts[i]!++;
      }
    });
  }
  return sums.map((s, i) => (counts[i]! > 0 ? s / counts[i]! : Number.NaN));
}

/** Trait means of both collections over the same (up to TRAIT_PROBES, seeded) shared probes. */
export function traitDeltas(
  oldSamples: readonly Sample[],
  newSamples: readonly Sample[],
  shared: readonly string[],
  seed: number,
): { probes: number; deltas: TraitDelta[] } {
  const pool = [...shared];
  const rng = seededRng(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const chosen = new Set(pool.slice(0, TRAIT_PROBES));
  const a = meanTraits(oldSamples, chosen);
  const b = meanTraits(newSamples, chosen);
  return {
    probes: chosen.size,
    deltas: DEFINITIONS.map((d, i) => ({ trait: d.name, unit: d.unit, old: a[i]!, new: b[i]!, delta: b[i]! - a[i]! })),
  };
}
