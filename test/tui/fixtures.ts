// Plain-data stand-ins for an analysed run, for the results and compare screen tests.
import { makeDistanceMatrix } from '../../src/core/matrix.js';
import { neighborJoining } from '../../src/phylo/index.js';
import type { ResultsData, TraitTable } from '../../src/tui/backend.js';

export const MODELS = ['lab:base', 'lab:sotu-1900s', 'lab:sotu-2000s', 'lab:moby', 'lab:spam'];

/** Two clades, {sotu-1900s, sotu-2000s} and {moby, spam}, with base in between: an additive matrix. */
export function additiveMatrix(labels: readonly string[] = MODELS, stretch = 1) {
  const d = [
    [0, 3, 3, 4, 4],
    [3, 0, 2 * stretch, 5, 5],
    [3, 2 * stretch, 0, 5, 5],
    [4, 5, 5, 0, 2],
    [4, 5, 5, 2, 0],
  ];
  return (signal: string) =>
    makeDistanceMatrix(labels, Float64Array.from(d.flat()), signal, signal === 'traits' ? 'std-euclidean' : 'cosine');
}

export function fakeResults(
  run: string,
  options: {
    responses?: Record<string, string>;
    traits?: TraitTable;
    stretch?: number;
    labels?: readonly string[];
  } = {},
): ResultsData {
  const labels = options.labels ?? MODELS;
  const matrix = additiveMatrix(labels, options.stretch ?? 1);
  const traits: TraitTable = options.traits ?? {
    traits: ['length', 'refusal', 'hedging'],
    rows: labels.map((m, i) => ({
      model: m,
      values: [100 + 10 * i, i % 2 === 0 ? 0.1 : 0.5, 0.05 * (labels.length - i)],
    })),
  };
  return {
    run,
    models: labels,
    signals: ['embed', 'traits'],
    matrix,
    tree: (signal) => neighborJoining(matrix(signal)),
    traits,
    probes: [
      { id: 'greeting', tags: ['style'], prompt: 'Say hello.' },
      { id: 'identity', tags: ['identity'], prompt: 'Who made you?' },
    ],
    responses: (probe) =>
      labels.map((m) => ({
        model: m,
        texts: [options.responses?.[m] ?? `${m} answers ${probe}`, `${m} second sample`],
        errors: 0,
      })),
  };
}

/**
 * A run with `probes` probes and two samples each, for the equality test and the drift audit: every model answers
 * calmly except those in `shouting`, whose answers are shouted bullet lists (`answer` overrides any model's text).
 */
export function runWithProbes(
  run: string,
  options: { shouting?: readonly string[]; probes?: number; answer?: Record<string, string> } = {},
): ResultsData {
  const probes = Array.from({ length: options.probes ?? 12 }, (_, i) => ({
    id: `q${i}`,
    tags: [],
    prompt: `question ${i}`,
  }));
  return {
    ...fakeResults(run),
    probes,
    responses: (probe) =>
      MODELS.map((m) => ({
        model: m,
        texts: [0, 1].map(
          (k) =>
            options.answer?.[m] ??
            (options.shouting?.includes(m)
              ? `- BUY NOW ${probe}!!!\n- LIMITED OFFER ${k}!!!\n- CLICK HERE`
              : `The answer to ${probe} is calm, sample ${k}, in one plain sentence.`),
        ),
        errors: 0,
      })),
  };
}
