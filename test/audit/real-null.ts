// Real-data nulls for the equality test: one AlpacaEval model against itself on a disjoint half of the prompts. The
// 805 prompts are shuffled (seeded) and cut in two halves; the i-th prompt of each half share a synthetic probe id, so
// A answers half 1 and B answers half 2. Prompts went to a side at random, so A and B are exchangeable within each
// pair: a calibrated test rejects at rate alpha.
import type { ProbeId, Sample } from '../../src/core/types.js';
import { randomInt, seededRng } from '../../src/core/random.js';
import type { ModelSamples } from '../../src/audit/equality.js';

export function disjointHalves(model: ModelSamples, seed: number): [ModelSamples, ModelSamples] {
  const probes = [...new Set(model.samples.map((s) => s.probe as string))].sort();
  const rng = seededRng(seed);
  for (let i = probes.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [probes[i], probes[j]] = [probes[j]!, probes[i]!];
  }
  const half = Math.floor(probes.length / 2);
  const pairOf = new Map<string, { side: 0 | 1; id: ProbeId }>();
  for (let i = 0; i < half; i++) {
    pairOf.set(probes[i]!, { side: 0, id: `pair-${i}` as ProbeId });
    pairOf.set(probes[half + i]!, { side: 1, id: `pair-${i}` as ProbeId });
  }
  const sides: [Sample[], Sample[]] = [[], []];
  for (const s of model.samples) {
    const p = pairOf.get(s.probe);
    if (p) sides[p.side].push({ ...s, probe: p.id });
  }
  return [
    { model: `${model.model}#half1`, samples: sides[0] },
    { model: `${model.model}#half2`, samples: sides[1] },
  ];
}
