// A collection in progress, as its callers hold it: start it, pause, resume or cancel it, listen to its events, await
// its result. The engine that does the work is collector.ts; the one way to start a run is launch.ts.
import type { RunEvent, RunListener } from '../core/events.js';
import type { Rng } from '../core/random.js';
import type { FailureKind, ModelRef, RunSpec } from '../core/types.js';
import type { Provider } from '../providers/provider.js';
import type { SqliteStore } from '../store/sqlite.js';
import type { BackoffPolicy } from './backoff.js';
import type { Clock } from './clock.js';
import { type BatchMode, collectBatched } from './batch/batch-collector.js';
import { collect } from './collector.js';

/** Default ceiling on a server-requested wait: 60 s (`--max-retry-wait`). */
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

export interface CollectOptions {
  readonly store: SqliteStore;
  /** The run must already exist in the store (see prepareRun). */
  readonly spec: RunSpec;
  /** The provider serving a model ref (resolved up front: a bad prefix or missing key fails before any request). */
  readonly providerFor: (model: ModelRef) => Provider;
  /** Concurrency ceiling per provider (its profile's limit or --concurrency). Default DEFAULTS.concurrency. */
  readonly concurrency?: (provider: Provider) => number;
  readonly timeoutMs?: number;
  /** Attempts per sample including the first. Default DEFAULTS.retries + 1. */
  readonly maxAttempts?: number;
  /** Successes in a row before a lowered concurrency grows back by one. Default DEFAULTS.growAfter. */
  readonly growAfter?: number;
  readonly backoff?: BackoffPolicy;
  readonly clock?: Clock;
  readonly rng?: Rng;
  readonly listeners?: readonly RunListener[];
  /** Samples per write transaction, and the longest a written sample waits in memory. */
  readonly batchSize?: number;
  readonly flushMs?: number;
  readonly retryAllErrors?: boolean;
  /** Request every planned sample again instead of reading the response cache (the cache is still written). */
  readonly fresh?: boolean;
  /**
   * The longest a server may ask us to wait (Retry-After) before a retry; a longer wait fails the sample as
   * rate_limit with the server's figure in its message (a resume retries it). Default DEFAULT_MAX_RETRY_WAIT_MS.
   */
  readonly maxRetryWaitMs?: number;
  /** Values to blank out of any stored or reported error message (see redact.ts). */
  readonly secrets?: readonly string[];
  /** The rate limiter's window (default one minute); tests scale it down to stay fast. */
  readonly rateWindowMs?: number;
  /** Collect through the vendors' batch APIs instead of one request per sample (batch/batch-collector.ts). */
  readonly batch?: BatchMode;
}

export interface CollectResult {
  readonly run: string;
  /** Samples this session had to produce. */
  readonly planned: number;
  readonly requested: number;
  readonly cached: number;
  readonly ok: number;
  readonly errors: number;
  readonly errorsByKind: Readonly<Partial<Record<FailureKind, number>>>;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly cancelled: boolean;
}

export interface Collection {
  readonly done: Promise<CollectResult>;
  pause(): void;
  resume(): void;
  /** Abort in-flight requests and start no more; all answered is already stored; the run is marked interrupted. */
  cancel(): void;
  readonly paused: boolean;
  readonly cancelled: boolean;
  /** Subscribe to events; returns an unsubscribe function. */
  on(listener: RunListener): () => void;
}

/** Start collecting; the returned handle controls it and `done` settles when everything planned is stored. */
export function startCollection(options: CollectOptions): Collection {
  const listeners = new Set<RunListener>(options.listeners ?? []);
  const abort = new AbortController();
  let paused = false;
  let gate: { promise: Promise<void>; open: () => void } | undefined;

  const emit = (event: RunEvent): void => {
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        // A broken view must not stop the collection.
      }
    }
  };

  const handle: Collection = {
    done: Promise.resolve().then(() =>
      options.batch
        ? collectBatched(options, emit, abort.signal)
        : collect(options, emit, abort.signal, () => gate?.promise),
    ),
    pause() {
      if (paused || abort.signal.aborted) return;
      paused = true;
      let open: () => void = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
      emit({ type: 'paused' });
    },
    resume() {
      if (!paused) return;
      paused = false;
      gate?.open();
      gate = undefined;
      emit({ type: 'resumed' });
    },
    cancel() {
      if (abort.signal.aborted) return;
      abort.abort(new Error('collection cancelled'));
      gate?.open();
      gate = undefined;
      paused = false;
    },
    get paused() {
      return paused;
    },
    get cancelled() {
      return abort.signal.aborted;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return handle;
}
