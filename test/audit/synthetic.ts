// Synthetic models for the equality test: each response mixes probe-specific topic words with the model's own word
// habits, length and bullet use, drawn from a seeded generator, so two collections of one model are exchangeable and
// a model with shifted habits is a known alternative.
import type { ModelRef, ProbeId, RunName, Sample } from '../../src/core/types.js';
import { type Rng, randomInt, seededRng } from '../../src/core/random.js';
import type { ModelSamples } from '../../src/audit/equality.js';

export interface Habits {
  /** Mean words per response. */
  readonly words: number;
  /** Chance a response is a bullet list. */
  readonly bullets: number;
  /** Relative weights of the filler vocabulary (FILLER order). */
  readonly filler: readonly number[];
}

const FILLER = ['the', 'a', 'is', 'of', 'and', 'to', 'in', 'certainly', 'however', 'note', 'example', 'here'];

export const BASE_HABITS: Habits = { words: 40, bullets: 0.2, filler: [9, 6, 5, 5, 5, 4, 4, 1, 1, 1, 1, 1] };

function pick(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function response(rng: Rng, probe: number, habits: Habits): string {
  const n = Math.max(3, Math.round(habits.words * (0.6 + 0.8 * rng())));
  const words: string[] = [];
  for (let i = 0; i < n; i++)
    words.push(rng() < 0.35 ? `topic${probe}w${randomInt(rng, 6)}` : FILLER[pick(rng, habits.filler)]!);
  if (rng() < habits.bullets) {
    const lines: string[] = [];
    for (let i = 0; i < words.length; i += 8) lines.push(`- ${words.slice(i, i + 8).join(' ')}`);
    return lines.join('\n');
  }
  return words.join(' ');
}

/** `samples` responses per probe to `probes` probes, from a generator seeded with `seed`. */
export function syntheticModel(model: string, probes: number, samples: number, seed: number, habits = BASE_HABITS) {
  const rng = seededRng(seed);
  const out: Sample[] = [];
  for (let p = 0; p < probes; p++)
    for (let i = 0; i < samples; i++)
      out.push({
        run: 'synthetic' as RunName,
        model: model as ModelRef,
        probe: `p${String(p).padStart(3, '0')}` as ProbeId,
        index: i,
        outcome: {
          status: 'ok',
          text: response(rng, p, habits),
          finishReason: 'stop',
          usage: { inputTokens: 0, outputTokens: 0 },
          temperatureUsed: 1,
        },
        latencyMs: 0,
        attempts: 1,
        costUsd: 0,
        at: '2026-01-01T00:00:00.000Z',
      });
  return { model, samples: out } satisfies ModelSamples;
}
