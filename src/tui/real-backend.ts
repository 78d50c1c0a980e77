// The TuiBackend over the real modules: provider registry and discovery, the lab zoo, probe suites and their
// estimate, the collection engine, the SQLite store and the analysis. Thin: each method maps to one module.
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchCollection } from '../collect/launch.js';
import { DEFAULTS } from '../core/defaults.js';
import { InputError, ProviderUnavailableError } from '../core/errors.js';
import { resultsDir as resolveResultsDir } from '../core/options.js';
import { PROVIDER_KIND_NAMES, PROVIDER_KINDS } from '../core/provider-kinds.js';
import { modelRef, parseModelRef, runName } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import type { ModelRef, Suite } from '../core/types.js';
import { ZooModels, zooDirFrom } from '../lab/provider.js';
import { estimateRun } from '../probes/estimate.js';
import { listSuites, loadSuite, suitesDir as defaultSuitesDir } from '../probes/load.js';
import { profilesDir as defaultProfilesDir, loadProfiles, type Profile } from '../providers/profile.js';
import { ProviderCallError, type Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { openStore, type SqliteStore } from '../store/sqlite.js';
import type { Exported, ProviderStatus, RunHandle, SuiteInfo, TuiBackend } from './backend.js';
import { EventLog } from './event-log.js';
import { analyseForTui } from './analysis-adapter.js';

export interface RealBackendOptions {
  /** The entry point's provider registry (src/commands/providers-setup.ts), with lab and replay handed in. */
  readonly registry: ProviderRegistry;
  readonly resultsDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly suitesDir?: string;
  readonly profilesDir?: string;
  /** How long discovery waits for a provider to list its models; default DEFAULTS.discoveryTimeoutMs. */
  readonly discoveryTimeoutMs?: number;
  /** Between two polls of a batch run's live batches (tests poll fast); default the collector's (30 s). */
  readonly batchPollMs?: number;
}

/** The kinds the app lists even without a profile file. */
const OFFERED_KINDS = PROVIDER_KIND_NAMES.filter((kind) => PROVIDER_KINDS[kind].offeredInApp);
const EXTENSIONS: Record<Exported['format'], string> = { newick: 'nwk', tsv: 'tsv', json: 'json' };

function message(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}

export function createRealBackend(options: RealBackendOptions): TuiBackend {
  const env = options.env ?? process.env;
  const dir = resolveResultsDir(options.resultsDir, env);
  // PHYLO_SUITES points the app at a folder of one's own suites instead of the built-in probes/.
  const suitesDir = options.suitesDir ?? (env.PHYLO_SUITES ? path.resolve(env.PHYLO_SUITES) : defaultSuitesDir());
  const profiles = options.profilesDir ?? defaultProfilesDir(env);
  const timeoutMs = options.discoveryTimeoutMs ?? DEFAULTS.discoveryTimeoutMs;
  const providers = new Map<string, Provider>();
  const suiteFiles = new Map<string, string>();
  let store: SqliteStore | undefined;

  let profileMap: Map<string, Profile> | undefined;

  const theStore = (): SqliteStore => {
    store ??= openStore(dir);
    return store;
  };
  // Without a providers/ folder the built-in kinds still work, with their implicit profiles.
  const knownProfiles = (): Map<string, Profile> => {
    profileMap ??= fs.existsSync(profiles) ? loadProfiles(profiles) : new Map();
    return profileMap;
  };
  const provider = (prefix: string): Provider => {
    const known = providers.get(prefix);
    if (known) return known;
    const created = options.registry.resolveProvider(prefix, {
      env,
      profilesDir: profiles,
      profiles: knownProfiles(),
      resultsDir: dir,
    });
    providers.set(prefix, created);
    return created;
  };
  const suite = (name: string): Suite => loadSuite(suiteFiles.get(name) ?? name);

  async function discover(name: string): Promise<ProviderStatus> {
    let p: Provider;
    try {
      p = provider(name);
    } catch (err) {
      const reason = err instanceof ProviderUnavailableError ? err.reason : message(err);
      return { name, kind: name, state: /key/i.test(reason) ? 'no-key' : 'error', detail: reason, models: [] };
    }
    const where = p.baseURL || 'in process';
    const batch = p.batch !== undefined;
    try {
      const models = await p.listModels({ signal: AbortSignal.timeout(timeoutMs), timeoutMs });
      return { name, kind: p.kind, state: 'ready', detail: where, models: [...models].sort(), batch };
    } catch (err) {
      if (err instanceof ProviderCallError && err.kind === 'auth')
        return { name, kind: p.kind, state: 'no-key', detail: `${where}: key rejected`, models: [], batch };
      const down =
        err instanceof ProviderCallError
          ? err.kind === 'connection' || err.kind === 'timeout'
          : /abort|timeout|ECONNREFUSED/i.test(message(err));
      return {
        name,
        kind: p.kind,
        state: down ? 'unreachable' : 'error',
        detail: `${where}: ${message(err)}`,
        models: [],
        batch,
      };
    }
  }

  return {
    resultsDir: dir,

    async providers() {
      const names = new Set<string>([...OFFERED_KINDS, ...knownProfiles().keys()]);
      return Promise.all([...names].map(discover));
    },

    async labModels() {
      const zoo = new ZooModels(zooDirFrom(env));
      return (await zoo.list()).map((m) => `lab:${m}`);
    },

    recentRuns() {
      return theStore()
        .listRuns()
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },

    async suites(): Promise<SuiteInfo[]> {
      const listing = listSuites(suitesDir);
      return listing.map((s) => {
        suiteFiles.set(s.name, s.file);
        const { defaults } = loadSuite(s.file);
        return { ...s, samples: defaults.samples, temperature: defaults.sampling.temperature };
      });
    },

    async estimate(request) {
      const unpriced = new Set<string>();
      const e = estimateRun(suite(request.suite), request.models.map(modelRef), request.samples, (model: ModelRef) => {
        try {
          const { prefix, model: id } = parseModelRef(model);
          const price = provider(prefix).price(id);
          if (price.inputPerMTok === 0 && price.outputPerMTok === 0 && prefix !== 'lab') unpriced.add(model);
          return price;
        } catch {
          unpriced.add(model);
          return { inputPerMTok: 0, outputPerMTok: 0 };
        }
      });
      return { ...e, unpriced: [...unpriced] };
    },

    async startRun(request): Promise<RunHandle> {
      if (request.models.length === 0) throw new InputError('a run needs at least one model');
      const log = new EventLog();
      const { prepared, collection } = launchCollection({
        store: theStore,
        name: runName(request.name),
        suite: suite(request.suite),
        models: request.models.map(modelRef),
        samples: request.samples,
        sampling: { temperature: request.temperature },
        providerFor: provider,
        env,
        listeners: [log.push],
        ...(request.batch ? { batch: options.batchPollMs !== undefined ? { pollMs: options.batchPollMs } : {} } : {}),
      });
      return {
        name: prepared.spec.name,
        subscribe: (l) => log.subscribe(l),
        pause: () => collection.pause(),
        resume: () => collection.resume(),
        cancel: () => collection.cancel(),
        done: collection.done.then(() => undefined),
      };
    },

    async analyse(run) {
      return analyseForTui(theStore().loadRun(runName(run)));
    },

    async writeExport(baseName, format, text) {
      const folder = path.join(dir, 'exports');
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, `${baseName.replace(/[^A-Za-z0-9._-]+/g, '_')}.${EXTENSIONS[format]}`);
      await writeFile(file, text);
      return { file, format };
    },

    close() {
      store?.close();
      store = undefined;
    },
  };
}
