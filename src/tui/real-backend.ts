// The TuiBackend over the real modules: provider registry and discovery, the lab zoo, probe suites and their
// estimate, the collection engine, the SQLite store and the analysis. Thin: each method maps to one module.
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, ProviderUnavailableError } from '../core/errors.js';
import { resultsDir as resolveResultsDir } from '../core/options.js';
import { modelRef, parseModelRef, runName } from '../core/refs.js';
import type { ModelRef, RunSpec, Suite } from '../core/types.js';
import { oneLine } from '../core/sanitize.js';
import { ProviderCallError, type Provider } from '../providers/provider.js';
import { loadProfiles, profilesDir as defaultProfilesDir, type Profile } from '../providers/profile.js';
import { resolveProvider } from '../providers/registry.js';
import { ZooModels, zooDirFrom } from '../lab/provider.js';
import { listSuites, loadSuite, suitesDir as defaultSuitesDir } from '../probes/load.js';
import { estimateRun } from '../probes/estimate.js';
import { prepareRun, secretsFromEnv, startCollection } from '../collect/index.js';
import { openStore, type SqliteStore } from '../store/sqlite.js';
import type { Exported, ProviderStatus, RunHandle, SuiteInfo, TuiBackend } from './backend.js';
import { EventLog } from './event-log.js';
import { analyseForTui } from './analysis-adapter.js';

export interface RealBackendOptions {
  readonly resultsDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly suitesDir?: string;
  readonly profilesDir?: string;
  /** How long discovery waits for a provider to list its models. */
  readonly discoveryTimeoutMs?: number;
}

const BUILT_IN = ['lab', 'openai', 'anthropic', 'ollama'] as const;
const EXTENSIONS: Record<Exported['format'], string> = { newick: 'nwk', tsv: 'tsv', json: 'json' };

function message(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}

export function createRealBackend(options: RealBackendOptions = {}): TuiBackend {
  const env = options.env ?? process.env;
  const dir = resolveResultsDir(options.resultsDir, env);
  // PHYLO_SUITES points the app at a folder of one's own suites instead of the built-in probes/.
  const suitesDir = options.suitesDir ?? (env.PHYLO_SUITES ? path.resolve(env.PHYLO_SUITES) : defaultSuitesDir());
  const profiles = options.profilesDir ?? defaultProfilesDir(env);
  const timeoutMs = options.discoveryTimeoutMs ?? 4000;
  const providers = new Map<string, Provider>();
  const suiteFiles = new Map<string, string>();
  let store: SqliteStore | undefined;

  let profileMap: Map<string, Profile> | undefined;

  const theStore = () => (store ??= openStore(dir));
  // Without a providers/ folder the built-in kinds still work, with their implicit profiles.
  const knownProfiles = (): Map<string, Profile> =>
    (profileMap ??= fs.existsSync(profiles) ? loadProfiles(profiles) : new Map());
  const provider = (prefix: string): Provider => {
    const known = providers.get(prefix);
    if (known) return known;
    const created = resolveProvider(prefix, { env, profilesDir: profiles, profiles: knownProfiles(), resultsDir: dir });
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
    try {
      const models = await p.listModels({ signal: AbortSignal.timeout(timeoutMs), timeoutMs });
      return { name, kind: p.kind, state: 'ready', detail: where, models: [...models].sort() };
    } catch (err) {
      if (err instanceof ProviderCallError && err.kind === 'auth')
        return { name, kind: p.kind, state: 'no-key', detail: `${where}: key rejected`, models: [] };
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
      };
    }
  }

  return {
    resultsDir: dir,

    async providers() {
      const names = new Set<string>([...BUILT_IN, ...knownProfiles().keys()]);
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
      const spec: RunSpec = {
        name: runName(request.name),
        suite: suite(request.suite),
        models: request.models.map(modelRef),
        samples: request.samples,
        sampling: { temperature: request.temperature },
      };
      // Resolve every provider before the first request, so a missing key fails here and not halfway.
      for (const m of spec.models) provider(parseModelRef(m).prefix);
      const s = theStore();
      prepareRun(s, spec);
      const log = new EventLog();
      const collection = startCollection({
        store: s,
        spec,
        providerFor: (m) => provider(parseModelRef(m).prefix),
        concurrency: (p) => p.rateLimit?.maxConcurrency ?? 8,
        secrets: secretsFromEnv(env),
        listeners: [log.push],
      });
      return {
        name: spec.name,
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
