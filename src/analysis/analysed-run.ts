// An analysed run: a stored run's response table held once, and everything computed from it (signal models,
// matrices, trees with bootstrap support, the trait table, the evidence) made on first request and kept. The TUI
// switching signal and method, `phylo tree`, the lab experiment and a report drawing several trees share the work.
// Pure: it reads the RunData it is given and never queries a model.
import { InputError } from '../core/errors.js';
import type { DistanceMatrix } from '../core/matrix.js';
import { answeredCounts, responseTable, type ResponseTable } from '../phenotype/responses.js';
import { traitProfile, type TraitProfile } from '../phenotype/trait-profile.js';
import {
  bootstrapReplicates,
  bootstrapSupport,
  buildTree,
  isTreeMethod,
  midpointRoot,
  outgroupRoot,
  TREE_METHODS,
  type Tree,
  type TreeMethod,
} from '../phylo/index.js';
import type { RunData } from '../core/run.js';
import { evidenceProbes, probeResponses, traitTable, type EvidenceProbe, type EvidenceResponse } from './evidence.js';
import type { TraitTable } from './evidence.js';
import type { SignalModel } from './signal-model.js';
import {
  availableSignals,
  COMBINABLE_SIGNALS,
  DEFAULT_METHOD,
  isSignal,
  SIGNALS,
  signalDefinition,
  type Signal,
  type SignalOptions,
} from './signals/index.js';

export interface AnalysedRunOptions extends SignalOptions {
  /** Called with a short stage name when a model, tree or bootstrap is computed (the CLI prints it on stderr). */
  readonly onProgress?: (stage: string) => void;
}

/** One tree of a run: the signal, the method (default: the signal's), bootstrap replicates over probes, the root. */
export interface TreeRequest {
  readonly signal: string;
  readonly method?: string;
  /** Replicates over probes; 0 (default) = no support values. */
  readonly bootstrap?: number;
  /** Seed of the replicates' draws (default 1; unused without bootstrap). */
  readonly seed?: number;
  /** `midpoint`, a model label (outgroup), or undefined to leave the tree as the method returns it. */
  readonly root?: string;
}

/** The request with its defaults filled in, or an InputError naming the flag that is wrong. */
export function checkTreeRequest(request: TreeRequest): Required<Omit<TreeRequest, 'root'>> & {
  readonly signal: Signal;
  readonly method: TreeMethod;
  readonly root?: string;
} {
  const { signal } = request;
  if (!isSignal(signal)) throw new InputError(`--signal ${signal}: use one of ${SIGNALS.join(', ')}`);
  const method = request.method ?? DEFAULT_METHOD[signal];
  if (!isTreeMethod(method)) throw new InputError(`--method ${method}: use one of ${TREE_METHODS.join(', ')}`);
  const bootstrap = request.bootstrap ?? 0;
  if (!Number.isInteger(bootstrap) || bootstrap < 0)
    throw new InputError(`--bootstrap ${bootstrap}: give a whole number of replicates >= 0`);
  const seed = request.seed ?? 1;
  return { signal, method, bootstrap, seed, ...(request.root !== undefined ? { root: request.root } : {}) };
}

function missingDataWarnings(table: ResponseTable): string[] {
  const counts = answeredCounts(table);
  const n = table.models.length;
  const out: string[] = [];
  table.models.forEach((m, i) => {
    if (counts[i]! < table.probes.length) {
      out.push(
        `${m} answered ${counts[i]} of ${table.probes.length} probes; ` +
          'its distances average over the probes both models answered',
      );
    }
    let empty = 0;
    for (let p = 0; p < table.probes.length; p++) for (const t of table.cells[p * n + i]!) if (t.trim() === '') empty++;
    if (empty > 0) out.push(`${m} gave ${empty} empty answer(s); they count as answers (far from any text)`);
  });
  return out;
}

/** Memoize `make` under `key` in `cache`. */
function kept<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  cache.set(key, value);
  return value;
}

export class AnalysedRun {
  readonly data: RunData;
  readonly table: ResponseTable;
  /** The signals this run can give, in registry order. */
  readonly signals: readonly Signal[];
  /** Plain statements about the data the user should know (models with gaps, empty answers...). */
  readonly warnings: readonly string[];
  private readonly options: AnalysedRunOptions;
  private readonly models = new Map<Signal, SignalModel>();
  private readonly matrices = new Map<Signal, DistanceMatrix>();
  private readonly trees = new Map<string, Tree>();
  private profile: TraitProfile | undefined;
  private traitsKept: TraitTable | undefined;
  private probesKept: EvidenceProbe[] | undefined;
  private responsesOf: ((probe: string) => EvidenceResponse[]) | undefined;
  /** Depth of nested model builds (the combined signal builds its parts): only the outer one reports progress. */
  private building = 0;

  /** Throws an InputError when the run has fewer than 3 models with answers or no successful sample. */
  constructor(data: RunData, options: AnalysedRunOptions = {}) {
    this.data = data;
    this.options = options;
    this.table = responseTable(data);
    const { models, probes } = this.table;
    if (models.length < 3)
      throw new InputError(`run ${data.run.name}: ${models.length} model(s) with answers; a tree needs at least 3`);
    if (probes.length === 0) throw new InputError(`run ${data.run.name}: no successful sample to analyse`);
    this.signals = availableSignals(data, this.table);
    this.warnings = missingDataWarnings(this.table);
  }

  /** The signal named `name`, or an InputError in one line saying why this run cannot give it and what it can. */
  availableSignal(name: string): Signal {
    const offers = `this run offers: ${this.signals.join(', ')}`;
    if (!isSignal(name)) throw new InputError(`--signal ${name}: use one of ${SIGNALS.join(', ')}; ${offers}`);
    if (this.signals.includes(name)) return name;
    const unmet = signalDefinition(name).needs.find((need) => !need.metBy(this.data, this.table));
    throw new InputError(
      `${unmet ? unmet.missing(name, this.data.run.name) : `signal ${name}: not available`}; ${offers}`,
    );
  }

  /** The signal's model over this run's probes, built once. */
  signalModel(name: string): SignalModel {
    const signal = this.availableSignal(name);
    return kept(this.models, signal, () => {
      if (this.building === 0)
        this.progress(
          `phenotype (${signal}) of ${this.table.models.length} models x ${this.table.probes.length} probes`,
        );
      this.building++;
      try {
        return signalDefinition(signal).build({
          data: this.data,
          table: this.table,
          options: this.options,
          combinable: this.signals.filter((s) => COMBINABLE_SIGNALS.includes(s)),
          model: (s) => this.signalModel(s),
          traitProfile: () => this.traitProfile(),
        });
      } finally {
        this.building--;
      }
    });
  }

  /** The signal's distance matrix over every probe, computed once. */
  matrix(name: string): DistanceMatrix {
    const signal = this.availableSignal(name);
    return kept(this.matrices, signal, () => this.signalModel(signal).matrix());
  }

  /** A tree of this run, built once per (signal, method, bootstrap, seed, root). */
  tree(request: TreeRequest): Tree {
    this.availableSignal(request.signal);
    const { signal, method, bootstrap, seed, root } = checkTreeRequest(request);
    const plainKey = `${signal}/${method}`;
    const supportedKey = bootstrap > 0 ? `${plainKey}/bootstrap ${bootstrap}/seed ${seed}` : plainKey;
    const supported = kept(this.trees, supportedKey, () => {
      const plain = kept(this.trees, plainKey, () => {
        const matrix = this.matrix(signal);
        this.progress(`tree (${method})`);
        return buildTree(method, matrix);
      });
      if (bootstrap === 0) return plain;
      const model = this.signalModel(signal);
      this.progress(`bootstrap: ${bootstrap} replicates over ${this.table.probes.length} probes`);
      const replicates = bootstrapReplicates({
        columns: this.table.probes.length,
        replicates: bootstrap,
        seed,
        build: (counts) => buildTree(method, model.matrix(counts)),
      });
      return bootstrapSupport(plain, replicates);
    });
    if (root === undefined) return supported;
    return kept(this.trees, `${supportedKey}/root ${root}`, () => this.rooted(supported, root));
  }

  traitProfile(): TraitProfile {
    this.profile ??= traitProfile(this.table);
    return this.profile;
  }

  /** Each model's mean traits (the traits the traits signal compares). */
  traitTable(): TraitTable {
    this.traitsKept ??= traitTable(this.table, this.traitProfile());
    return this.traitsKept;
  }

  /** The run's answered probes, with their prompts as text. */
  probes(): readonly EvidenceProbe[] {
    this.probesKept ??= evidenceProbes(this.table);
    return this.probesKept;
  }

  /** Every model's answers to a probe (by id) and its failed attempts; [] for an unknown probe. */
  responses(probe: string): EvidenceResponse[] {
    this.responsesOf ??= probeResponses(this.data, this.table);
    return this.responsesOf(probe);
  }

  private rooted(tree: Tree, how: string): Tree {
    if (how === 'midpoint') return midpointRoot(tree);
    const labels = this.table.models;
    if (!labels.includes(how))
      throw new InputError(`--root ${how}: not a model of this run; use midpoint or one of: ${labels.join(', ')}`);
    return outgroupRoot(tree, how);
  }

  private progress(stage: string): void {
    this.options.onProgress?.(stage);
  }
}

/** A run ready to analyse: nothing is computed until a matrix, tree or table is asked for. */
export function analyseRunLazily(data: RunData, options: AnalysedRunOptions = {}): AnalysedRun {
  return new AnalysedRun(data, options);
}
