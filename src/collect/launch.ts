// The one way to start a collection, for `phylo run` and the app (the lab experiment next): resolve every model's
// provider before anything is stored, create the run or check that it resumes the same experiment, then start the
// scheduler with the environment's secrets and the concurrency and timeout the providers' profiles ask for.
//
//   const { prepared, collection } = launchCollection({
//     store: () => openStore(results), name, suite, models, env: process.env,
//     providerFor: (prefix) => providerRegistry.resolveProvider(prefix, { env, resultsDir: results }),
//   });
import { attemptsFor, DEFAULTS } from '../core/defaults.js';
import type { RunListener } from '../core/events.js';
import { parseModelRef } from '../core/refs.js';
import type { ModelRef, RunName, RunSpec, SamplingParams, Suite } from '../core/types.js';
import type { Provider } from '../providers/provider.js';
import { InputError } from '../core/errors.js';
import { RunHeldError } from '../store/lease.js';
import type { SqliteStore } from '../store/sqlite.js';
import type { BatchMode } from './batch/batch-collector.js';
import { type Collection, startCollection } from './collection.js';
import { type PreparedRun, prepareRun } from './prepare.js';
import { MAX_RUN_SAMPLES, MAX_SAMPLES_PER_PROBE } from './limits.js';
import { secretsFromEnv } from './redact.js';

export interface LaunchRequest {
  /** The results folder's store, opened only once every provider has resolved (a bad prefix creates nothing). */
  readonly store: () => SqliteStore;
  readonly name: RunName;
  readonly suite: Suite;
  readonly models: readonly ModelRef[];
  /** Samples per probe; default the stored run's when resuming, else the suite's. */
  readonly samples?: number;
  /** Sampling flags, laid over the stored run's when resuming (so a resume need not repeat them). */
  readonly sampling?: Partial<SamplingParams>;
  /** The provider serving a model-ref prefix: the entry point's registry. Called once per prefix. */
  readonly providerFor: (prefix: string) => Provider;
  /** Where the secrets to blank out of stored messages are read. */
  readonly env: NodeJS.ProcessEnv;
  /** Requests in flight per provider; default its profile's rateLimit, else DEFAULTS.concurrency. */
  readonly concurrency?: number;
  /** Per-request timeout; default the longest of the providers' profile timeouts, else DEFAULTS.timeoutMs. */
  readonly timeoutMs?: number;
  /** Retries per sample after the first attempt; default DEFAULTS.retries. */
  readonly retries?: number;
  /** The longest Retry-After wait honoured; a longer one fails the sample as rate_limit. Default 60 s. */
  readonly maxRetryWaitMs?: number;
  /** On resume, also re-request samples stored with a permanent failure. */
  readonly retryAllErrors?: boolean;
  /** Request every sample again instead of reading the response cache (which is still written). */
  readonly fresh?: boolean;
  /** Collect through the vendors' batch APIs (`--batch`); every model's provider must have one. */
  readonly batch?: BatchMode;
  readonly listeners?: readonly RunListener[];
  /** Where the run came from, stored with it; default 'run'. */
  readonly origin?: string;
  /** The part of the run this session collects (an adaptive run's pilot or follow-up); default the whole run. */
  readonly phase?: (spec: RunSpec) => RunSpec;
}

export interface LaunchedRun {
  readonly store: SqliteStore;
  readonly prepared: PreparedRun;
  readonly collection: Collection;
}

/** Resolve, prepare and start a run; the returned collection is running (await `collection.done`). */
export function launchCollection(request: LaunchRequest): LaunchedRun {
  const byPrefix = new Map<string, Provider>();
  for (const ref of request.models) {
    const { prefix } = parseModelRef(ref);
    if (!byPrefix.has(prefix)) byPrefix.set(prefix, request.providerFor(prefix));
  }
  checkRunSize(request);
  if (request.batch) checkBatchable(request.models, byPrefix);
  const store = request.store();
  // One process per run name: a second `phylo run --name X` would request every missing sample again (lease.ts).
  const claim = store.leases().tryAcquire(request.name);
  if (!claim.ok) throw new RunHeldError(claim.holder);
  let prepared: PreparedRun;
  let collected: RunSpec;
  try {
    prepared = prepareRun(store, runSpec(store, request), request.origin);
    collected = request.phase ? request.phase(prepared.spec) : prepared.spec;
  } catch (err) {
    claim.lease.release();
    throw err;
  }
  const providers = [...byPrefix.values()];
  const collection = startCollection({
    store,
    spec: collected,
    providerFor: (m) => byPrefix.get(parseModelRef(m).prefix)!,
    concurrency: (p) => request.concurrency ?? p.rateLimit?.maxConcurrency ?? DEFAULTS.concurrency,
    timeoutMs: request.timeoutMs ?? Math.max(...providers.map((p) => p.timeoutMs ?? DEFAULTS.timeoutMs)),
    maxAttempts: attemptsFor(request.retries ?? DEFAULTS.retries),
    secrets: secretsFromEnv(request.env),
    ...(request.retryAllErrors !== undefined ? { retryAllErrors: request.retryAllErrors } : {}),
    ...(request.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: request.maxRetryWaitMs } : {}),
    ...(request.fresh ? { fresh: true } : {}),
    ...(request.listeners !== undefined ? { listeners: request.listeners } : {}),
    ...(request.batch ? { batch: request.batch } : {}),
  });
  // The lease goes when the collection ends, however it ends (a crash: the next process sees the pid gone).
  collection.done.then(claim.lease.release, claim.lease.release);
  return { store, prepared, collection };
}

/**
 * The seed of a new run given none: fixed, so that the same command draws the same samples, and stored with the run
 * (its sampling), so that a reader sees what was drawn. A run stored without a seed (before seeds) resumes unseeded.
 */
export const DEFAULT_RUN_SEED = 0;

/** Refuse a run too large to plan (one line, exit 2), before the store is opened or anything allocated. */
function checkRunSize(request: LaunchRequest): void {
  const samplesOf = (own: number | undefined, field: string): number => {
    const n = own ?? request.samples ?? request.suite.defaults.samples;
    if (n > MAX_SAMPLES_PER_PROBE)
      throw new InputError(`${field}: ${n} samples per probe is over the limit of ${MAX_SAMPLES_PER_PROBE}`);
    return n;
  };
  samplesOf(request.samples, request.samples !== undefined ? '--samples' : `suite ${request.suite.name}`);
  let perModel = 0;
  for (const probe of request.suite.probes) perModel += samplesOf(probe.samples, `probe ${probe.id}`);
  const total = perModel * request.models.length;
  if (total > MAX_RUN_SAMPLES)
    throw new InputError(
      `run of ${request.models.length} models x ${request.suite.probes.length} probes is ${total} samples, over ` +
        `the limit of ${MAX_RUN_SAMPLES}; use fewer --samples, models or probes (or several runs)`,
    );
}

/** `--batch` needs a batch API for every model: one line naming the first without one, before anything is stored. */
function checkBatchable(models: readonly ModelRef[], byPrefix: ReadonlyMap<string, Provider>): void {
  for (const ref of models) {
    const provider = byPrefix.get(parseModelRef(ref).prefix)!;
    if (!provider.batch)
      throw new InputError(
        `--batch: ${ref} has no batch API (${provider.kind}); batch runs take openai and anthropic models, ` +
          'collect the others in a run without --batch',
      );
  }
}

/** The run's spec: the request over what is stored under its name (a resume keeps the stored samples and flags). */
function runSpec(store: SqliteStore, request: LaunchRequest): RunSpec {
  const existing = store.hasRun(request.name) ? store.getRun(request.name) : undefined;
  const sampling: Partial<SamplingParams> = existing
    ? { ...(existing.sampling ?? {}) }
    : { seed: request.suite.defaults.sampling.seed ?? DEFAULT_RUN_SEED };
  for (const [key, value] of Object.entries(request.sampling ?? {}))
    if (value !== undefined) Object.assign(sampling, { [key]: value });
  return {
    name: request.name,
    suite: request.suite,
    models: request.models,
    samples: request.samples ?? existing?.samples ?? request.suite.defaults.samples,
    ...(Object.keys(sampling).length > 0 ? { sampling } : {}),
  };
}
