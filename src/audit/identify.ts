// Which reference model is this? Rank the reference models by how differently they answer the target's probes
// (mean cosine distance of word profiles, prompt by prompt), the top-1's confidence by a bootstrap over probes, and
// the equality test against the top-1 for the verdict.
import type { Sample } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { seededRng } from '../core/random.js';
import {
  EQUALITY_DEFAULTS,
  testEquality,
  type EqualityOptions,
  type EqualityResult,
  type ModelSamples,
} from './equality.js';
import { sampleLexicalVector, sparseCosine } from './lexical.js';

export interface RankedModel {
  readonly model: string;
  /** Mean over shared probes of 1 - mean cosine between the two models' answers to the probe. */
  readonly distance: number;
  /** Share of bootstrap replicates over probes in which this model is the nearest. */
  readonly confidence: number;
  readonly probes: number;
}

export interface Identification {
  readonly target: string;
  readonly ranking: readonly RankedModel[];
  /** The equality test of the target against the top-1 (undefined when it cannot run: `equalError` says why). */
  readonly equal: EqualityResult | undefined;
  readonly equalError?: string;
  /** One line: "consistent with X (p = ...)" or "closest is X, but differs (p = ...)". */
  readonly verdict: string;
  readonly bootstrap: number;
}

export interface IdentifyOptions extends EqualityOptions {
  /** Bootstrap replicates over the target's probes for the confidence (default 200). */
  identifyBootstrap?: number;
}

function byProbe(samples: readonly Sample[]): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.outcome.status !== 'ok') continue;
    const list = out.get(s.probe);
    if (list) list.push(s);
    else out.set(s.probe, [s]);
  }
  return out;
}

/** Per target probe, 1 - mean cosine to the candidate's answers (NaN where the candidate did not answer). */
function probeDistances(target: Map<string, Sample[]>, probes: readonly string[], candidate: readonly Sample[]) {
  const other = byProbe(candidate);
  return Float64Array.from(probes, (p) => {
    const ys = other.get(p);
    if (!ys) return Number.NaN;
    const xs = target.get(p)!;
    let s = 0;
    for (const x of xs) for (const y of ys) s += sparseCosine(sampleLexicalVector(x), sampleLexicalVector(y));
    return 1 - s / (xs.length * ys.length);
  });
}

function format(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

export function identifyModel(
  target: ModelSamples,
  references: readonly ModelSamples[],
  options: IdentifyOptions = {},
): Identification {
  const seed = options.seed ?? EQUALITY_DEFAULTS.seed;
  const replicates = options.identifyBootstrap ?? 200;
  const candidates = references.filter((r) => r.model !== target.model || r.samples !== target.samples);
  const mine = byProbe(target.samples);
  const probes = [...mine.keys()].sort();
  if (candidates.length === 0) throw new InputError(`no reference model to identify ${target.model} against`);
  if (probes.length === 0) throw new InputError(`model ${target.model} answered no probe`);
  const distances = candidates.map((c) => probeDistances(mine, probes, c.samples));
  const mean = (d: Float64Array, pick: ArrayLike<number>) => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < pick.length; i++) {
      const v = d[pick[i]!]!;
      if (!Number.isNaN(v)) {
        s += v;
        n++;
      }
    }
    return n > 0 ? s / n : Number.POSITIVE_INFINITY;
  };
  const all = Int32Array.from(probes, (_, i) => i);
  const point = distances.map((d) => mean(d, all));
  if (point.every((d) => d === Number.POSITIVE_INFINITY))
    throw new InputError(`no reference model shares a probe with ${target.model}`);
  const wins = new Array<number>(candidates.length).fill(0);
  const rng = seededRng(seed ^ 0x2545f491);
  const pick = new Int32Array(probes.length);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < pick.length; i++) pick[i] = Math.floor(rng() * pick.length);
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    distances.forEach((d, c) => {
      const v = mean(d, pick);
      if (v < bestD) {
        bestD = v;
        best = c;
      }
    });
    if (best >= 0) wins[best]!++;
  }
  const ranking = candidates
    .map((c, i) => ({
      model: c.model,
      distance: point[i]!,
      confidence: replicates > 0 ? wins[i]! / replicates : Number.NaN,
      probes: distances[i]!.filter((v) => !Number.isNaN(v)).length,
    }))
    .filter((r) => r.probes > 0)
    .sort((x, y) => x.distance - y.distance);
  const top = ranking[0]!;
  const topSamples = candidates.find((c) => c.model === top.model)!;
  let equal: EqualityResult | undefined;
  let equalError: string | undefined;
  try {
    equal = testEquality(target, topSamples, options);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    equalError = err.message;
  }
  const verdict = !equal
    ? `closest is ${top.model} (confidence ${top.confidence.toFixed(2)}); no equality test: ${equalError}`
    : equal.reject
      ? `closest is ${top.model}, but differs, p = ${format(equal.pValue)}`
      : `consistent with ${top.model} (p = ${format(equal.pValue)}, confidence ${top.confidence.toFixed(2)})`;
  return { target: target.model, ranking, equal, equalError, verdict, bootstrap: replicates };
}
