// The genotype side of the experiment: trees from weight distances by every metric and method, scored against the
// truth, and which layers carry the lineage (correlation of each layer's distances with the true patristic ones).
import type { DistanceMatrix } from '../../core/matrix.js';
import { spearman } from '../../distance/correlation.js';
import { genotypeMatrix, layerImportance } from '../../genotype/analysis.js';
import { compareModels } from '../../genotype/compare.js';
import type { GenotypeMetric } from '../../genotype/metrics.js';
import { buildTree, patristicDistances, TREE_METHODS, type Tree } from '../../phylo/index.js';
import { scoreTree, type TreeScore } from './score.js';

export interface LayerRow {
  readonly layer: string;
  readonly parameters: number;
  /** Per metric: correlation with the true patristic distances (Pearson) and rank (1 = most lineage-informative). */
  readonly byMetric: Record<string, { readonly pearson: number; readonly rank: number; readonly separation: number }>;
}

export interface GenotypeResult {
  readonly scores: TreeScore[];
  readonly layers: LayerRow[];
  /** Spearman correlation of layer rankings between metric pairs (do L1, L2 and cosine agree on what matters?). */
  readonly agreement: {
    readonly a: string;
    readonly b: string;
    readonly spearman: number;
    readonly sameTop: boolean;
  }[];
}

const GENO_METRICS: readonly GenotypeMetric[] = ['l2', 'l1', 'cosine'];

export async function genotypeAnalysis(
  files: readonly string[],
  labels: readonly string[],
  truth: Tree,
): Promise<GenotypeResult> {
  const cmp = await compareModels(files, { labels });
  const scores: TreeScore[] = [];
  for (const metric of GENO_METRICS) {
    const m = genotypeMatrix(cmp, { metric });
    for (const method of TREE_METHODS) scores.push(scoreTree(buildTree(method, m), truth, 'genotype', metric, method));
  }
  const reference: DistanceMatrix = patristicDistances(truth);
  const per = new Map<string, Map<string, { pearson: number; rank: number; separation: number; parameters: number }>>();
  for (const metric of GENO_METRICS) {
    for (const r of layerImportance(cmp, { metric, reference })) {
      const row = per.get(r.layer) ?? new Map();
      row.set(metric, { pearson: r.pearson, rank: r.rank, separation: r.separation, parameters: r.parameters });
      per.set(r.layer, row);
    }
  }
  const layers: LayerRow[] = [...per.entries()].map(([layer, row]) => ({
    layer,
    parameters: [...row.values()][0]!.parameters,
    byMetric: Object.fromEntries(
      [...row.entries()].map(([k, v]) => [k, { pearson: v.pearson, rank: v.rank, separation: v.separation }]),
    ),
  }));
  layers.sort((x, y) => x.byMetric.l2!.rank - y.byMetric.l2!.rank);
  const agreement: GenotypeResult['agreement'] = [];
  for (let i = 0; i < GENO_METRICS.length; i++) {
    for (let j = i + 1; j < GENO_METRICS.length; j++) {
      const a = GENO_METRICS[i]!;
      const b = GENO_METRICS[j]!;
      const ra = layers.map((l) => l.byMetric[a]!.rank);
      const rb = layers.map((l) => l.byMetric[b]!.rank);
      agreement.push({
        a,
        b,
        spearman: spearman(ra, rb),
        sameTop:
          layers.find((l) => l.byMetric[a]!.rank === 1)?.layer === layers.find((l) => l.byMetric[b]!.rank === 1)?.layer,
      });
    }
  }
  return { scores, layers, agreement };
}
