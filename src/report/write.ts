// Writing a report: analyse what the report shows (reusing an analysed run when the caller has one, as the TUI does),
// read the weights and audit results it was given, build the page and write it with every figure as a standalone
// .svg beside it. `phylo report` and the TUI's results screen both call writeReport.
import fs from 'node:fs';
import path from 'node:path';
import { AnalysedRun, checkTreeRequest } from '../analysis/analysed-run.js';
import { predictScores } from '../analysis/predict.js';
import { DEFAULT_SIGNAL } from '../analysis/signals/index.js';
import { type BenchmarkScores, scoredModels } from '../core/benchmark-scores.js';
import { InputError } from '../core/errors.js';
import type { RunData } from '../core/run.js';
import { compareModels, genotypeTree, layerImportance, referenceDistances } from '../genotype/index.js';
import type { Tree } from '../phylo/index.js';
import { modelMap } from '../analysis/model-map.js';
import { readAuditFile } from './audit.js';
import { buildReport, type GenotypeView, type PhenotypeView } from './build.js';
import type { PredictionView } from './prediction.js';
import { modelGroups } from './groups.js';
import { runSummary } from './summary.js';

export const REPORT_DEFAULTS = {
  bootstrap: 100,
  seed: 1,
  mapSeed: 42,
  evidenceProbes: 30,
  trim: 800,
} as const;

export interface WriteReportOptions {
  readonly data: RunData;
  /** The same run already analysed (the TUI's): its matrices and trees are reused, not recomputed. */
  readonly analysed?: AnalysedRun;
  /** The HTML file to write; figures go beside it as <name>-<figure>.svg. */
  readonly out: string;
  /** Signals to draw (default: the default signal). */
  readonly signals?: readonly string[];
  /** model -> family (FAMILIES.tsv): tips and points coloured by family instead of provider. */
  readonly families?: ReadonlyMap<string, string>;
  /**
   * Benchmark scores (`--scores FILE --column NAME`): a section predicting every model's score from the first
   * signal's distances, as `phylo predict` does. Fewer than 3 scored models of the run is an InputError.
   */
  readonly scores?: BenchmarkScores;
  /** Weight files or folders (or ollama:NAME) for the genotype section; at least 3. */
  readonly genotype?: readonly string[];
  /** `phylo audit ... --json` outputs to show the verdicts of. */
  readonly audits?: readonly string[];
  /** Bootstrap replicates over probes for support values (default 100). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** Seed of the UMAP layout (default 42, as the TUI's map). */
  readonly mapSeed?: number;
  /** Probes shown in the evidence section (default 30). */
  readonly evidenceProbes?: number;
  /** Characters kept of each answer (default 800). */
  readonly trim?: number;
  /** The command line shown in the footer. */
  readonly command?: string;
  readonly onProgress?: (stage: string) => void;
}

export interface WrittenReport {
  readonly file: string;
  readonly figures: readonly string[];
  readonly bytes: number;
  /** Seconds spent analysing (phenotype, trees, traits, genotype) and building and writing the files. */
  readonly seconds: { readonly analysis: number; readonly render: number };
}

async function genotypeView(
  models: readonly string[],
  reference: Tree | undefined,
  options: WriteReportOptions,
): Promise<GenotypeView> {
  if (models.length < 3) throw new InputError(`--genotype: give at least 3 models for a tree (got ${models.length})`);
  options.onProgress?.(`genotype: reading ${models.length} models`);
  const cmp = await compareModels(models);
  const bootstrap = options.bootstrap ?? REPORT_DEFAULTS.bootstrap;
  const tree = genotypeTree(cmp, { method: 'nj', replicates: bootstrap, seed: options.seed ?? REPORT_DEFAULTS.seed });
  const notes = [...cmp.notes];
  if (cmp.missing.length > 0) notes.push(`${cmp.missing.length} tensor(s) missing from some models were not compared`);
  if (cmp.shapeMismatch.length > 0)
    notes.push(`${cmp.shapeMismatch.length} tensor(s) with different shapes were not compared`);
  // Layers rank by agreement with the phenotype tree when the weights are the run's models; else by separation.
  if (reference) {
    try {
      const layers = layerImportance(cmp, { reference: referenceDistances(reference) });
      notes.push('layers ranked by agreement with the first phenotype tree (patristic distances, Pearson r)');
      return {
        tree,
        metric: 'l2',
        method: 'nj',
        bootstrap,
        layers,
        withReference: true,
        families: options.families,
        notes,
      };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      notes.push(`layers ranked by separation: the weights do not all match models of the run (${err.message})`);
    }
  }
  const layers = layerImportance(cmp);
  return {
    tree,
    metric: 'l2',
    method: 'nj',
    bootstrap,
    layers,
    withReference: false,
    families: options.families,
    notes,
  };
}

/** The benchmark prediction over the distances of `phenotype` (the report's first signal). */
function predictionView(phenotype: PhenotypeView, options: WriteReportOptions): PredictionView {
  const scores = options.scores!;
  options.onProgress?.(`prediction (${scores.column})`);
  const known = scoredModels(phenotype.matrix.labels, scores, options.data.run.name);
  return {
    column: scores.column,
    file: scores.file,
    signal: phenotype.signal,
    metric: phenotype.matrix.metric,
    result: predictScores(phenotype.matrix, known),
  };
}

function figurePrefix(out: string): string {
  return path.basename(out).replace(/\.html?$/i, '');
}

/** Analyse, build and write the report and its figures; returns where they went and how long it took. */
export async function writeReport(options: WriteReportOptions): Promise<WrittenReport> {
  const t0 = performance.now();
  const progress = options.onProgress ?? (() => {});
  const analysed = options.analysed ?? new AnalysedRun(options.data, { onProgress: progress });
  const bootstrap = options.bootstrap ?? REPORT_DEFAULTS.bootstrap;
  const seed = options.seed ?? REPORT_DEFAULTS.seed;
  const mapSeed = options.mapSeed ?? REPORT_DEFAULTS.mapSeed;
  const signals = [...new Set(options.signals && options.signals.length > 0 ? options.signals : [DEFAULT_SIGNAL])];
  const audits = (options.audits ?? []).flatMap(readAuditFile);

  const phenotypes: PhenotypeView[] = signals.map((name) => {
    const signal = analysed.availableSignal(name);
    const { method } = checkTreeRequest({ signal, bootstrap, seed });
    const matrix = analysed.matrix(signal);
    const tree = analysed.tree({ signal, method, bootstrap, seed });
    progress(`map (${signal})`);
    const map = modelMap(matrix, mapSeed);
    const info = analysed.signalModel(signal).info;
    return { signal, method, tree, matrix, bootstrap, seed, map: { ...map, seed: mapSeed }, note: info.note };
  });
  const prediction = options.scores && phenotypes[0] ? predictionView(phenotypes[0], options) : undefined;
  progress('traits');
  const traits = analysed.traitTable();
  const genotype =
    options.genotype && options.genotype.length > 0
      ? await genotypeView(options.genotype, phenotypes[0]?.tree, options)
      : undefined;
  const probes = analysed.probes();
  const shown = probes.slice(0, options.evidenceProbes ?? REPORT_DEFAULTS.evidenceProbes);
  const evidence = {
    probes: shown.map((probe) => ({ probe, responses: analysed.responses(probe.id) })),
    total: probes.length,
    trim: options.trim ?? REPORT_DEFAULTS.trim,
  };
  const t1 = performance.now();

  progress('report');
  const out = path.resolve(options.out);
  const built = await buildReport({
    summary: runSummary(options.data),
    warnings: analysed.warnings,
    groups: modelGroups(analysed.table.models, options.families),
    phenotypes,
    traits,
    prediction,
    genotype,
    audits,
    evidence,
    command: options.command ?? `phylo report ${options.data.run.name}`,
    figurePrefix: figurePrefix(out),
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, built.html);
  const figures = built.figures.map((f) => {
    const file = path.join(path.dirname(out), f.file);
    fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${f.svg}\n`);
    return file;
  });
  return {
    file: out,
    figures,
    bytes: Buffer.byteLength(built.html),
    seconds: { analysis: (t1 - t0) / 1000, render: (performance.now() - t1) / 1000 },
  };
}
