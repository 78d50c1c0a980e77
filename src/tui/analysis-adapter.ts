// Maps the analysis of a stored run (src/analysis) onto the ResultsData the results screen reads: every signal the
// run supports, trees by any method with bootstrap support over probes (computed when first shown, then kept), the
// trait table and the responses for the evidence tab.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import type { Probe } from '../core/types.js';
import { DEFAULT_METHOD } from '../analysis/analyse.js';
import {
  allelesSignal,
  combinedSignal,
  DEFAULT_EMBED,
  embedSignal,
  logprobsSignal,
  traitsSignal,
  type Signal,
  type SignalModel,
} from '../analysis/signals.js';
import { hasTopLogprobs } from '../phenotype/logprob-profile.js';
import { hasRepeatedSamples } from '../phenotype/alleles.js';
import { cellOf, responseTable } from '../phenotype/responses.js';
import { traitProfile } from '../phenotype/trait-profile.js';
import { TRAITS } from '../phenotype/traits.js';
import { bootstrapReplicates, bootstrapSupport, buildTree, type Tree } from '../phylo/index.js';
import type { RunData } from '../core/run.js';
import type { EvidenceProbe, EvidenceResponse, ResultsData, TraitTable, TreeMethodName } from './backend.js';

export interface TuiAnalysisOptions {
  /** Bootstrap replicates over probes for support values (0: none). */
  readonly bootstrap?: number;
  readonly seed?: number;
}

export const TUI_BOOTSTRAP = 100;

function promptText(probe: Probe): string {
  return probe.prompt.kind === 'prefix'
    ? probe.prompt.prefix
    : probe.prompt.messages.map((m) => (m.role === 'user' ? m.content : `[${m.role}] ${m.content}`)).join('\n');
}

export async function analyseForTui(data: RunData, options: TuiAnalysisOptions = {}): Promise<ResultsData> {
  // Let the "analysing…" frame reach the terminal before the synchronous work below.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const table = responseTable(data);
  if (table.models.length < 3)
    throw new InputError(`run ${data.run.name}: ${table.models.length} model(s) with answers; a tree needs at least 3`);
  if (table.probes.length === 0) throw new InputError(`run ${data.run.name}: no successful sample to analyse`);
  const replicates = options.bootstrap ?? TUI_BOOTSTRAP;
  const seed = options.seed ?? 1;

  const signals: Signal[] = [
    'embed',
    'traits',
    ...(hasRepeatedSamples(table) ? (['alleles'] as const) : []),
    ...(hasTopLogprobs(data) ? (['logprobs'] as const) : []),
    'combined',
  ];
  const models = new Map<Signal, SignalModel>();
  const model = (signal: string): SignalModel => {
    const s = signal as Signal;
    if (!signals.includes(s)) throw new InputError(`signal ${signal}: this run offers ${signals.join(', ')}`);
    let m = models.get(s);
    if (!m) {
      if (s === 'embed') m = embedSignal(table, DEFAULT_EMBED);
      else if (s === 'traits') m = traitsSignal(table);
      else if (s === 'alleles') m = allelesSignal(table);
      else if (s === 'logprobs') m = logprobsSignal(data, table);
      else m = combinedSignal(signals.filter((x) => x !== 'combined').map(model));
      models.set(s, m);
    }
    return m;
  };
  const trees = new Map<string, Tree>();
  const tree = (signal: string, method: TreeMethodName): Tree => {
    const key = `${signal}/${method}`;
    let t = trees.get(key);
    if (!t) {
      const m = model(signal);
      t = buildTree(method, m.matrix());
      if (replicates > 0)
        t = bootstrapSupport(
          t,
          bootstrapReplicates({
            columns: table.probes.length,
            replicates,
            seed,
            build: (counts) => buildTree(method, m.matrix(counts)),
          }),
        );
      trees.set(key, t);
    }
    return t;
  };

  const profile = traitProfile(table);
  const T = TRAITS.length;
  // Categorical codes have no mean; traits that never apply would be an empty column.
  const columns = TRAITS.map((t, i) => ({ t, i })).filter(
    ({ t, i }) => t.kind !== 'categorical' && table.models.some((_, m) => !Number.isNaN(profile.mean[m * T + i]!)),
  );
  const traits: TraitTable = {
    traits: columns.map(({ t }) => t.name),
    rows: table.models.map((name, m) => ({ model: name, values: columns.map(({ i }) => profile.mean[m * T + i]!) })),
  };

  const probes: EvidenceProbe[] = table.probes.map((p) => ({ id: String(p.id), tags: p.tags, prompt: promptText(p) }));
  const probeAt = new Map(probes.map((p, i) => [p.id, i]));
  const errors = new Map<string, number>();
  for (const s of data.samples)
    if (s.outcome.status === 'error')
      errors.set(`${s.probe}\n${s.model}`, (errors.get(`${s.probe}\n${s.model}`) ?? 0) + 1);

  return {
    run: data.run.name,
    models: table.models,
    signals,
    defaultMethod: (signal) => DEFAULT_METHOD[signal as Signal] ?? 'nj',
    matrix: (signal): DistanceMatrix => model(signal).matrix(),
    tree,
    traits,
    probes,
    responses: (probe): EvidenceResponse[] => {
      const p = probeAt.get(probe);
      if (p === undefined) return [];
      return table.models.map((m, i) => ({
        model: m,
        texts: cellOf(table, p, i),
        errors: errors.get(`${probe}\n${m}`) ?? 0,
      }));
    },
  };
}
