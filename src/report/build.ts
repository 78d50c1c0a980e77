// The report from analysed data: every figure drawn (trees here, charts by Vega-Lite), the sections assembled into one
// page. No file is read or written here (write.ts does that); the same input gives the same bytes.
import type { EvidenceProbe, EvidenceResponse, TraitTable } from '../analysis/evidence.js';
import type { DistanceMatrix } from '../core/matrix.js';
import type { LayerImportance } from '../genotype/index.js';
import { compareLayers } from '../genotype/align.js';
import type { Tree } from '../phylo/index.js';
import type { AuditSection } from './audit.js';
import { heatmapSpec, layersSpec, mapSpec, predictionSpec, traitsSpec, type MapPoint } from './charts.js';
import { evidenceSection } from './evidence.js';
import { modelGroups, type Groups } from './groups.js';
import { html, type Markup } from './html.js';
import { page } from './page.js';
import { predictionSection, type PredictionView } from './prediction.js';
import {
  auditSectionMarkup,
  genotypeSection,
  phenotypeSection,
  summarySection,
  traitsSection,
  type FigureMarkup,
} from './sections.js';
import type { RunSummary } from './summary.js';
import { phylogramSvg } from './svg-tree.js';
import { vegaLiteSvg } from './vega.js';
import { visibleText } from './escape.js';

const METHOD_NAMES: Record<string, string> = {
  nj: 'neighbor joining (Saitou & Nei 1987)',
  bionj: 'BIONJ (Gascuel 1997)',
  upgma: 'UPGMA (average linkage)',
  bme: 'balanced minimum evolution (Desper & Gascuel 2002)',
};

export interface PhenotypeView {
  readonly signal: string;
  readonly method: string;
  readonly tree: Tree;
  readonly matrix: DistanceMatrix;
  /** Bootstrap replicates over probes behind the support values (0: none). */
  readonly bootstrap: number;
  readonly seed: number;
  readonly map: { readonly points: readonly MapPoint[]; readonly method: 'umap' | 'mds'; readonly seed: number };
  /** How the signal was computed, one line (e.g. the traits it uses). */
  readonly note?: string;
}

export interface GenotypeView {
  readonly tree: Tree;
  readonly metric: string;
  readonly method: string;
  readonly bootstrap: number;
  readonly layers: readonly LayerImportance[];
  readonly withReference: boolean;
  readonly families?: ReadonlyMap<string, string>;
  readonly notes: readonly string[];
}

export interface ReportInput {
  readonly summary: RunSummary;
  readonly warnings: readonly string[];
  readonly groups: Groups;
  readonly phenotypes: readonly PhenotypeView[];
  readonly traits?: TraitTable;
  /** Benchmark scores predicted from the first signal's distances (`--scores`). */
  readonly prediction?: PredictionView;
  readonly genotype?: GenotypeView;
  readonly audits: readonly AuditSection[];
  readonly evidence: {
    readonly probes: readonly { readonly probe: EvidenceProbe; readonly responses: readonly EvidenceResponse[] }[];
    readonly total: number;
    readonly trim: number;
  };
  /** The command that makes this report again (shown in the footer). */
  readonly command: string;
  /** File names of the standalone figures start with this (the report's name without .html). */
  readonly figurePrefix: string;
}

export interface ReportFigure {
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

export interface BuiltReport {
  readonly html: string;
  readonly figures: readonly ReportFigure[];
}

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

const support = (bootstrap: number, seed: number, over: string) =>
  bootstrap > 0
    ? `support on internal branches: % of ${bootstrap} bootstrap replicates over ${over} (seed ${seed})`
    : 'no support values (no bootstrap)';

export async function buildReport(input: ReportInput): Promise<BuiltReport> {
  const figures: ReportFigure[] = [];
  const add = (name: string, title: string, svg: string, caption: Markup | string): FigureMarkup => {
    const file = `${input.figurePrefix}-${name}.svg`;
    figures.push({ file, title, svg });
    return { file, svg, caption };
  };
  const groupWord = input.groups.by === 'family' ? 'family (--labels)' : 'provider';
  const sections: Markup[] = [summarySection(input.summary, input.warnings)];
  const contents = [{ id: 'summary', heading: 'Summary' }];
  let order: readonly string[] | undefined;

  for (const p of input.phenotypes) {
    const method = METHOD_NAMES[p.method] ?? p.method;
    const title = `${p.signal} phenotype tree, ${p.method}`;
    const drawn = phylogramSvg(p.tree, { title, groups: input.groups });
    order ??= drawn.leaves;
    const heatmap = await vegaLiteSvg(
      heatmapSpec(p.matrix, drawn.leaves, `${p.signal} distances (${p.matrix.metric}), in tree order`),
      `heatmap-${p.signal}`,
    );
    const mapName = p.map.method === 'umap' ? `UMAP (seed ${p.map.seed})` : 'classical MDS (fewer than 5 models)';
    const map = await vegaLiteSvg(
      mapSpec(p.map.points, input.groups, `${p.signal} map of the models: ${mapName}`),
      `map-${p.signal}`,
    );
    const id = `phenotype-${p.signal}`;
    contents.push({ id, heading: `Phenotype: ${p.signal}` });
    sections.push(
      phenotypeSection({
        id,
        heading: `Phenotype: ${p.signal}`,
        intro:
          `Distances between the models' answers by the ${p.signal} signal (${p.matrix.metric}), ` +
          `over ${p.matrix.labels.length} models${p.note ? `; ${p.note}` : ''}.`,
        figures: [
          add(
            `tree-${p.signal}`,
            title,
            drawn.svg,
            `Phylogram by ${method}; branch lengths in ${p.matrix.metric} distance units (scale bar); ` +
              `${support(p.bootstrap, p.seed, 'probes')}; ${drawn.rooting}; tips coloured by ${groupWord}.`,
          ),
          add(
            `heatmap-${p.signal}`,
            `${p.signal} distance heatmap`,
            heatmap,
            'Pairwise distances, rows and columns in the order of the tree above; brighter is closer.',
          ),
          add(
            `map-${p.signal}`,
            `${p.signal} map`,
            map,
            p.map.method === 'umap'
              ? `UMAP (McInnes et al. 2018) on the exact nearest neighbours of the distances, seed ${p.map.seed}; ` +
                  'axes have no units, only neighbourhoods mean something.'
              : 'Classical multidimensional scaling (Torgerson 1952): with fewer than 5 models UMAP has too few ' +
                  'neighbours.',
          ),
        ],
      }),
    );
  }

  if (input.prediction) {
    const p = input.prediction;
    const points = p.result.predictions.flatMap((m) =>
      m.observed === undefined ? [] : [{ model: m.model, observed: m.observed, predicted: m.predicted }],
    );
    const svg = await vegaLiteSvg(
      predictionSpec(
        points,
        input.groups,
        `${visibleText(p.column)}: held-out prediction against the given score (r ${fixed(p.result.looPearson, 3)}, ` +
          `MAE ${fixed(p.result.looMAE, 2)}; mean of the others: MAE ${fixed(p.result.baselineMAE, 2)})`,
      ),
      'prediction',
    );
    const unscored = p.result.predictions.length - points.length;
    contents.push({ id: 'prediction', heading: 'Predicted scores' });
    sections.push(
      predictionSection(
        p,
        add(
          'prediction',
          `predicted ${p.column}`,
          svg,
          `Each scored model's nested leave-one-out prediction against its given ${p.column}; the dashed line is ` +
            `a perfect prediction; points coloured by ${groupWord}` +
            (unscored > 0 ? `; the ${unscored} model(s) without a score are in the table only.` : '.'),
        ),
      ),
    );
  }

  if (input.traits && input.traits.traits.length > 0) {
    const rows = order ?? input.traits.rows.map((r) => r.model);
    const rowOf = new Map(input.traits.rows.map((r) => [r.model, r]));
    const ordered = rows.map((m) => rowOf.get(m)).filter((r) => r !== undefined);
    const svg = await vegaLiteSvg(
      traitsSpec(input.traits.traits, ordered, 'traits as z-scores over the models'),
      'traits',
    );
    contents.push({ id: 'traits', heading: 'Traits' });
    sections.push(
      traitsSection(
        input.traits,
        rows,
        add(
          'traits',
          'traits',
          svg,
          'Each trait standardized over the models (z-score, clamped at ±3); blank where a trait does not apply.',
        ),
      ),
    );
  }

  if (input.genotype) {
    const g = input.genotype;
    const labels = g.layers[0]?.matrix.labels ?? [];
    const groups = modelGroups(labels, g.families);
    const drawn = phylogramSvg(g.tree, { title: `genotype tree, ${g.method}`, groups });
    const inLayerOrder = [...g.layers].sort((a, b) => compareLayers(a.layer, b.layer));
    const chart = await vegaLiteSvg(
      layersSpec(inLayerOrder, g.withReference, 'per-layer importance'),
      'genotype-layers',
    );
    contents.push({ id: 'genotype', heading: 'Genotype' });
    sections.push(
      genotypeSection({
        intro: `Weights compared layer by layer (${g.metric} distance) over ${labels.length} models.`,
        figures: [
          add(
            'genotype-tree',
            'genotype tree',
            drawn.svg,
            `Phylogram by ${METHOD_NAMES[g.method] ?? g.method} over the weight distances; ` +
              `${support(g.bootstrap, 1, 'tensors')}; ${drawn.rooting}.`,
          ),
          add(
            'genotype-layers',
            'per-layer importance',
            chart,
            g.withReference
              ? 'Each layer scored by how well its distances agree with the reference tree (Pearson r), in layer order.'
              : "Each layer scored by how strongly it separates the models (L2 over the pair's RMS norm, averaged " +
                  'over pairs), in layer order.',
          ),
        ],
        layers: g.layers.map((l) => ({
          layer: l.layer,
          rank: l.rank,
          score: String(Number((g.withReference ? l.pearson : l.separation).toPrecision(3))),
        })),
        notes: g.notes,
      }),
    );
  }

  if (input.audits.length > 0) {
    contents.push({ id: 'audit', heading: 'Audit' });
    sections.push(auditSectionMarkup(input.audits));
  }

  contents.push({ id: 'evidence', heading: 'Evidence' });
  sections.push(evidenceSection({ ...input.evidence, order: order ?? [] }));

  const s = input.summary;
  const htmlText = page({
    title: `phylo report: ${s.run}`,
    subtitle: `${s.answeringModels} models x ${s.probes} probes, suite ${s.suite} ${s.suiteVersion}`,
    contents,
    body: html`${sections}`,
    footer: html`Made by llm-phylo with <code>${input.command}</code>. Figures: ${figures.map(
      (f, i) => html`${i > 0 ? ', ' : ''}<code>${f.file}</code>`,
    )}. The same command gives the same file.`,
  });
  return { html: htmlText, figures };
}
