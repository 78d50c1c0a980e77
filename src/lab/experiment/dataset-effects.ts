// How far each fine-tuning edge of the zoo moves the weights, the outputs (next-byte distributions) and held-out loss,
// averaged by the dataset it was fine-tuned on.
import { InputError } from '../../core/errors.js';
import { jensenShannonDivergence } from '../../distance/jensen-shannon.js';
import { loadCheckpoint, type CheckpointMeta } from '../checkpoint.js';
import type { Model } from '../model.js';
import { listZoo } from '../zoo.js';
import { nextByteDistributions } from './next-byte.js';

export interface EdgeEffect {
  readonly node: string;
  readonly parent: string;
  readonly dataset: string;
  readonly steps: number;
  /** ||theta_node - theta_parent||_2 and the same relative to ||theta_parent||_2. */
  readonly genotypeL2: number;
  readonly genotypeRelative: number;
  /** Mean Jensen-Shannon divergence (bits) of next-byte distributions over the suite's prefixes. */
  readonly phenotypeJs: number;
  /** Held-out bits per byte, node minus parent, on every dataset. */
  readonly deltaBpb: Readonly<Record<string, number>>;
}

export interface DatasetRow {
  readonly dataset: string;
  readonly edges: number;
  readonly genotypeL2PerStep: number;
  readonly phenotypeJsPerStep: number;
  readonly deltaOwn: number;
  readonly deltaOthers: number;
  readonly deltaBy: Readonly<Record<string, number>>;
}

/** How far each fine-tuning edge moves weights, outputs and held-out loss; then averaged by dataset. */
export async function datasetEffects(
  zooDir: string,
  prefixes: readonly string[],
): Promise<{ edges: EdgeEffect[]; datasets: DatasetRow[] }> {
  const zoo = await listZoo(zooDir);
  const cache = new Map<string, { model: Model; meta: CheckpointMeta; dist: Float64Array[] }>();
  const get = async (name: string) => {
    let hit = cache.get(name);
    if (!hit) {
      const entry = zoo.get(name);
      if (!entry)
        throw new InputError(
          `zoo ${zooDir}: checkpoint of ${name} is missing (a parent of another model); retrain with phylo lab train`,
        );
      const { model, meta } = await loadCheckpoint(entry.file);
      hit = { model, meta, dist: nextByteDistributions(model, prefixes) };
      cache.set(name, hit);
    }
    return hit;
  };
  const edges: EdgeEffect[] = [];
  for (const { meta } of zoo.values()) {
    if (meta.parent === null) continue;
    const node = await get(meta.name);
    const parent = await get(meta.parent);
    let d2 = 0;
    let p2 = 0;
    for (let i = 0; i < node.model.params.length; i++) {
      const d = node.model.params[i]! - parent.model.params[i]!;
      d2 += d * d;
      p2 += parent.model.params[i]! ** 2;
    }
    let js = 0;
    for (let k = 0; k < prefixes.length; k++) js += jensenShannonDivergence(node.dist[k]!, parent.dist[k]!);
    const deltaBpb: Record<string, number> = {};
    for (const [id, v] of Object.entries(meta.heldOut)) deltaBpb[id] = v - (parent.meta.heldOut[id] ?? NaN);
    edges.push({
      node: meta.name,
      parent: meta.parent,
      dataset: meta.datasets.join('+'),
      steps: meta.steps,
      genotypeL2: Math.sqrt(d2),
      genotypeRelative: Math.sqrt(d2 / p2),
      phenotypeJs: js / Math.max(1, prefixes.length),
      deltaBpb,
    });
  }
  const byDataset = new Map<string, EdgeEffect[]>();
  for (const e of edges) byDataset.set(e.dataset, [...(byDataset.get(e.dataset) ?? []), e]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const datasets: DatasetRow[] = [...byDataset.entries()].map(([dataset, es]) => {
    const ids = Object.keys(es[0]!.deltaBpb);
    const deltaBy = Object.fromEntries(ids.map((id) => [id, mean(es.map((e) => e.deltaBpb[id]!))]));
    return {
      dataset,
      edges: es.length,
      genotypeL2PerStep: mean(es.map((e) => e.genotypeL2 / e.steps)),
      phenotypeJsPerStep: mean(es.map((e) => e.phenotypeJs / e.steps)),
      deltaOwn: deltaBy[dataset] ?? NaN,
      deltaOthers: mean(ids.filter((id) => id !== dataset).map((id) => deltaBy[id]!)),
      deltaBy,
    };
  });
  datasets.sort((a, b) => a.deltaOthers - b.deltaOthers);
  return { edges, datasets };
}
