// The collection engine: for every sample a run still needs, serve it from the response cache or request it
// through the model's provider, with per-provider adaptive concurrency, retries with backoff, a per-request timeout,
// and batched writes. Progress goes out as RunEvents; the engine knows nothing about who listens.
import { setMaxListeners } from 'node:events';
import { attemptsFor, DEFAULTS } from '../core/defaults.js';
import type { RunEvent } from '../core/events.js';
import { type Rng, seededRng } from '../core/random.js';
import { parseModelRef } from '../core/refs.js';
import type { Completion, FailureKind, ModelRef, RunSpec } from '../core/types.js';
import type { CompletionRequest, Provider, ProviderCallError } from '../providers/provider.js';

import type { SqliteStore } from '../store/sqlite.js';
import type { AdaptiveLimit } from './adaptive-limit.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelay } from './backoff.js';
import { classify } from './classify.js';
import { type Clock, systemClock } from './clock.js';
import { type CollectOptions, type CollectResult, DEFAULT_MAX_RETRY_WAIT_MS } from './collection.js';
import { type PlanItem, planItemCacheKey, planRun } from './plan.js';
import { ListedFingerprint, publicBaseURL } from './provenance.js';
import { ProviderLimits } from './provider-limits.js';
import { type RateLimiter, requestSlot } from './rate-limit.js';
import { redact } from './redact.js';
import { RunTally, runStartEvent } from './run-tally.js';
import { overRetryCeiling } from './retry-ceiling.js';
import { SampleWriter } from './sample-writer.js';
import { InFlightRequests } from './timed-call.js';

const CANCELLED = Symbol('cancelled');
type AttemptOutcome =
  | typeof CANCELLED
  | { readonly stopped: true; readonly epoch: number }
  | { readonly completion: Completion; readonly latencyMs: number; readonly epoch: number }
  | { readonly error: ProviderCallError; readonly latencyMs: number; readonly epoch: number };
const MAX_MESSAGE = 500;

/** Collect to completion (or cancellation) without keeping a handle. */
export function collect(
  options: CollectOptions,
  emit: (e: RunEvent) => void = () => {},
  signal: AbortSignal = new AbortController().signal,
  pauseGate: () => Promise<void> | undefined = () => undefined,
): Promise<CollectResult> {
  return new Collector(options, emit, signal, pauseGate).run();
}

interface ModelState {
  readonly provider: Provider;
  readonly name: string;
  /** The provider's base URL as stored with each sample: no credentials, no query. */
  readonly baseURL: string;
  readonly limit: AdaptiveLimit;
  readonly rate: RateLimiter | undefined; // per minute: profile and rate-limit headers
  readonly listed: ListedFingerprint;
  /** Set when a failure means no further request for this model can succeed (auth, not_found). */
  stopped?: { kind: FailureKind; message: string };
}

class Collector {
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly spec: RunSpec;
  private readonly store: SqliteStore;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly secrets: readonly string[];
  private readonly models = new Map<ModelRef, ModelState>();
  private readonly inFlight: InFlightRequests;
  private readonly writer: SampleWriter;
  private readonly maxRetryWaitMs: number;
  /** The run's cancel signal, or this collector's own stop when the store fails (disk full, folder gone). */
  private readonly signal: AbortSignal;
  private readonly halt = new AbortController();
  private storeFailure: unknown;

  private readonly tally = new RunTally();

  constructor(
    private readonly options: CollectOptions,
    private readonly emit: (e: RunEvent) => void,
    runSignal: AbortSignal,
    private readonly pauseGate: () => Promise<void> | undefined,
  ) {
    this.signal = AbortSignal.any([runSignal, this.halt.signal]);
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
    this.clock = options.clock ?? systemClock;
    // Only the backoff jitter draws from this: it spreads retries of separate processes apart, and changes no answer.
    this.rng = options.rng ?? seededRng(Date.now() & 0x7fffffff);
    this.spec = options.spec;
    this.store = options.store;
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? attemptsFor(DEFAULTS.retries));
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.inFlight = new InFlightRequests(this.signal);
    // At a modest rate flushMs decides, so nothing answered waits long in memory; at a high one, the batch size.
    this.writer = new SampleWriter(
      options.store,
      Math.max(1, options.batchSize ?? DEFAULTS.writeBatch),
      options.flushMs ?? DEFAULTS.flushMs,
      (err) => this.storeFailed(err),
    );
    this.secrets = options.secrets ?? [];
    // Every backoff wait listens to the one cancel signal (requests in flight are aborted through one listener).
    setMaxListeners(0, this.signal);
  }

  async run(): Promise<CollectResult> {
    const { spec, store } = this;
    // Resolve every model's provider and limiter first: one limiter per provider, shared by its models.
    const limits = new ProviderLimits(this.options, this.clock, this.emit);
    for (const model of spec.models) {
      const provider = this.options.providerFor(model);
      this.models.set(model, {
        provider,
        name: parseModelRef(model).model,
        baseURL: publicBaseURL(provider.baseURL),
        listed: new ListedFingerprint(provider, parseModelRef(model).model),
        ...limits.of(provider),
      });
    }

    store.setStatus(spec.name, 'running');
    const plan = planRun(spec, store.sampleStates(spec.name), { retryAllErrors: this.options.retryAllErrors });

    // The cache pass is synchronous and cheap (a hash and an indexed lookup per sample): a fully cached run replays
    // at database speed instead of going through the request scheduler.
    // --fresh: every sample is requested again (the cache is written, never read): an independent draw.
    const fresh = this.options.fresh === true;
    const hits: { item: PlanItem; completion: Completion; collectedAt: string }[] = [];
    const misses: { item: PlanItem; key: string }[] = [];
    for (const item of plan) {
      const m = this.models.get(item.model)!;
      const key = planItemCacheKey(item, m.provider, m.name);
      const entry = fresh ? undefined : store.cacheEntry(key);
      if (entry) hits.push({ item, completion: entry.completion, collectedAt: entry.createdAt });
      else misses.push({ item, key });
    }
    this.emit(runStartEvent(spec, plan, hits.length));

    for (const { item, completion, collectedAt } of hits) {
      if (this.signal.aborted) break;
      this.tally.cached++;
      this.recordOk(item, completion, { latencyMs: 0, attempts: 0, costUsd: 0, cached: true, collectedAt });
    }
    this.writer.flushSafely();

    this.signal.addEventListener('abort', this.inFlight.abortAll, { once: true });
    const tasks = misses.map(({ item, key }) => this.produce(item, key));
    await Promise.all(tasks);
    this.signal.removeEventListener('abort', this.inFlight.abortAll);
    this.writer.flushSafely();
    const cancelled = this.signal.aborted;
    if (this.storeFailure !== undefined) {
      // What was committed stays; the run resumes. If marking it fails too (a full disk), `phylo runs` still shows it
      // interrupted: no live process holds its lease.
      try {
        store.setStatus(spec.name, 'interrupted');
      } catch {
        // see above
      }
      this.emit({ type: 'run-end', run: spec.name, ok: this.tally.ok, errors: this.tally.errors, cancelled: true });
      throw this.storeFailure;
    }
    store.setStatus(spec.name, cancelled ? 'interrupted' : 'finished');
    this.emit({ type: 'run-end', run: spec.name, ok: this.tally.ok, errors: this.tally.errors, cancelled });
    return this.tally.result(spec.name, plan.length, cancelled);
  }

  /** Produce one sample: attempts until answered, out of attempts, stopped, or cancelled. */
  private async produce(item: PlanItem, key: string): Promise<void> {
    const m = this.models.get(item.model)!;
    const prompt = item.probe.prompt;
    if (
      (prompt.kind === 'prefix' && !m.provider.capabilities.rawCompletion) ||
      (prompt.kind === 'chat' && !m.provider.capabilities.chat)
    ) {
      const what = prompt.kind === 'prefix' ? 'raw prefix completion' : 'chat';
      this.recordError(
        item,
        'unsupported',
        `${m.provider.name} does not support ${what}; use a provider that does for probe ${item.probe.id}`,
        0,
        0,
      );
      return;
    }
    const request: CompletionRequest =
      prompt.kind === 'chat'
        ? { kind: 'chat', model: m.name, messages: prompt.messages, sampling: item.sampling, sampleIndex: item.index }
        : { kind: 'prefix', model: m.name, prefix: prompt.prefix, sampling: item.sampling, sampleIndex: item.index };

    let totalLatency = 0;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (this.signal.aborted) return;
      if (m.stopped) return this.recordStopped(item, m.stopped, attempt - 1, totalLatency);
      const outcome = await m.limit.run(async (epoch): Promise<AttemptOutcome> => {
        if (this.signal.aborted) return CANCELLED;
        const gate = this.pauseGate();
        if (gate) await gate;
        if (this.signal.aborted) return CANCELLED;
        if (m.stopped) return { stopped: true as const, epoch };
        const slot = await requestSlot(m.rate, m.provider, request, this.signal);
        if (slot === 'cancelled') return CANCELLED;
        this.tally.requested++;
        const t0 = this.clock.now();
        try {
          const completion = await this.inFlight.call(m.provider, request, this.timeoutMs);
          slot?.done(completion.usage.inputTokens + completion.usage.outputTokens);
          return { completion, latencyMs: this.clock.now() - t0, epoch };
        } catch (err) {
          slot?.done();
          if (this.signal.aborted) return CANCELLED;
          return { error: classify(err), latencyMs: this.clock.now() - t0, epoch };
        }
      });
      if (outcome === CANCELLED) return;
      if ('stopped' in outcome) return this.recordStopped(item, m.stopped!, attempt - 1, totalLatency);
      totalLatency += outcome.latencyMs;
      if ('completion' in outcome) {
        m.limit.succeeded();
        const price = m.provider.price(m.name);
        const u = outcome.completion.usage;
        const costUsd = (u.inputTokens * price.inputPerMTok + u.outputTokens * price.outputPerMTok) / 1e6;
        // Replayed answers are already in the store; caching them again would only copy them.
        const cacheAs = m.provider.kind === 'replay' ? undefined : key;
        this.recordOk(
          item,
          await m.listed.complete(outcome.completion, this.signal, this.timeoutMs),
          { latencyMs: outcome.latencyMs, attempts: attempt, costUsd, cached: false },
          cacheAs,
        );
        return;
      }
      const { error } = outcome;
      const message = this.clean(error.message);
      if (error.kind === 'rate_limit') m.limit.rateLimited(outcome.epoch);
      if (error.kind === 'auth' || error.kind === 'not_found') {
        if (!m.stopped) {
          m.stopped = { kind: error.kind, message };
          this.emit({
            type: 'warning',
            message:
              `${item.model}: ${error.kind.replace('_', ' ')} (${message}); ` +
              'its remaining samples are stored as errors without a request',
          });
        }
        this.recordError(item, error.kind, message, attempt, totalLatency);
        return;
      }
      if (!error.retryable || attempt === this.maxAttempts) {
        const reason = error.retryable ? `${message} (gave up after ${attempt} attempts)` : message;
        this.recordError(item, error.kind, reason, attempt, totalLatency);
        return;
      }
      const tooLong = overRetryCeiling(message, error.retryAfterMs, this.maxRetryWaitMs);
      if (tooLong !== undefined) {
        this.recordError(item, 'rate_limit', tooLong, attempt, totalLatency);
        return;
      }
      const waitMs = retryDelay(attempt, error.retryAfterMs, this.backoff, this.rng);
      this.emit({ type: 'retry', model: item.model, probe: item.probe.id, attempt, kind: error.kind, waitMs, message });
      try {
        await this.clock.sleep(waitMs, this.signal);
      } catch {
        return; // cancelled while waiting
      }
    }
  }

  /** What every stored sample says about where it came from: its seed and the endpoint's public base URL. */
  private provenance(item: PlanItem): { seed?: number; baseURL?: string } {
    const m = this.models.get(item.model)!;
    return {
      // Recorded only where it was sent: a provider without seeds (Anthropic) draws unseeded samples.
      ...(item.sampling.seed !== undefined && m.provider.capabilities.seed ? { seed: item.sampling.seed } : {}),
      ...(m.baseURL ? { baseURL: m.baseURL } : {}),
    };
  }

  /** The store cannot take writes (disk full, folder gone): stop requesting; run() rethrows the failure. */
  private storeFailed(err: unknown): void {
    if (this.storeFailure === undefined) this.storeFailure = err;
    this.halt.abort(err);
  }

  /** A sample not requested because its model was stopped (auth, not_found) by an earlier answer. */
  private recordStopped(item: PlanItem, stopped: NonNullable<ModelState['stopped']>, attempts: number, ms: number) {
    const why = `not requested: an earlier request of this model failed with ${stopped.kind}: ${stopped.message}`;
    this.recordError(item, stopped.kind, why, attempts, ms);
  }

  private clean(message: string): string {
    const text = redact(message, this.secrets);
    return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}...` : text;
  }

  private recordOk(
    item: PlanItem,
    completion: Completion,
    meta: { latencyMs: number; attempts: number; costUsd: number; cached: boolean; collectedAt?: string },
    key?: string,
  ): void {
    const at = new Date().toISOString();
    this.tally.ok++;
    this.tally.inputTokens += completion.usage.inputTokens;
    this.tally.outputTokens += completion.usage.outputTokens;
    this.tally.costUsd += meta.costUsd;
    const outcome = { status: 'ok' as const, ...completion };
    this.writer.queue(
      {
        run: this.spec.name,
        model: item.model,
        probe: item.probe.id,
        index: item.index,
        outcome,
        latencyMs: meta.latencyMs,
        attempts: meta.attempts,
        costUsd: meta.costUsd,
        at,
        cached: meta.cached,
        collectedAt: meta.collectedAt ?? at,
        ...this.provenance(item),
      },
      key === undefined ? undefined : { key, completion, at },
    );
    this.emit({
      type: 'sample',
      model: item.model,
      probe: item.probe.id,
      index: item.index,
      status: meta.cached ? 'cached' : 'ok',
      latencyMs: meta.latencyMs,
      tokens: completion.usage.inputTokens + completion.usage.outputTokens,
      costUsd: meta.costUsd,
    });
  }

  private recordError(item: PlanItem, kind: FailureKind, message: string, attempts: number, latencyMs: number): void {
    this.tally.errors++;
    this.tally.errorsByKind[kind] = (this.tally.errorsByKind[kind] ?? 0) + 1;
    this.writer.queue({
      run: this.spec.name,
      model: item.model,
      probe: item.probe.id,
      index: item.index,
      outcome: { status: 'error', kind, message: this.clean(message) },
      latencyMs,
      attempts,
      costUsd: 0,
      at: new Date().toISOString(),
      ...this.provenance(item),
    });
    this.emit({
      type: 'sample',
      model: item.model,
      probe: item.probe.id,
      index: item.index,
      status: 'error',
      kind,
      latencyMs,
      tokens: 0,
      costUsd: 0,
    });
  }
}
