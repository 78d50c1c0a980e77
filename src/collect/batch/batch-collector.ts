// `phylo run --batch`: the run's missing samples go to the vendors' batch APIs instead of one request each. Every
// batch is recorded before it is submitted (store/batches.ts), so a process killed at any point resumes by polling:
// a live batch is never submitted again; one whose submit may not have arrived is looked up at the vendor first;
// an ended batch lands its answers (ok and errored) in one transaction with its `landed` mark, and only what an
// expired, failed or cancelled batch did not run goes into a new one. Costs at the batch price.
import { randomUUID } from 'node:crypto';
import { attemptsFor, DEFAULTS } from '../../core/defaults.js';
import type { RunEvent } from '../../core/events.js';
import { parseModelRef } from '../../core/refs.js';
import type { ModelRef } from '../../core/types.js';
import { type BatchApi, type BatchResult, type BatchStatus, ENDED_STATES } from '../../providers/batch.js';
import type { CompletionRequest, Provider } from '../../providers/provider.js';
import type { RunBatches, StoredBatch, StoredBatchRequest } from '../../store/batches.js';

import type { SampleWrite } from '../../store/rows.js';
import type { CacheWrite } from '../../store/sqlite.js';
import { classify } from '../classify.js';
import { type Clock, systemClock } from '../clock.js';
import type { CollectOptions, CollectResult } from '../collection.js';
import { type PlanItem, planItemCacheKey, planRun } from '../plan.js';
import { redact } from '../redact.js';
import { RunTally, runStartEvent } from '../run-tally.js';
import { cellOf, chunkForBatches, completionRequest } from './batch-plan.js';
import { errorSample, okSample } from './batch-samples.js';

/** How a batched collection polls. */
export interface BatchMode {
  /** Between two polls of the live batches; default 30 s (vendors finish in minutes to hours). */
  readonly pollMs?: number;
  /** At most this many requests per batch, under the vendor's own ceiling (tests use small batches). */
  readonly maxRequests?: number;
}

export const DEFAULT_BATCH_POLL_MS = 30_000;
const CALL_TIMEOUT_MS = 120_000;

interface ModelInfo {
  readonly provider: Provider;
  readonly api: BatchApi;
  readonly name: string;
}

/** Collect a run through vendor batch APIs; every model's provider must have one (launch.ts checks it). */
export async function collectBatched(
  options: CollectOptions,
  emit: (e: RunEvent) => void,
  signal: AbortSignal,
): Promise<CollectResult> {
  return new BatchCollector(options, emit, signal).run();
}

class BatchCollector {
  private readonly clock: Clock;
  private readonly batches: RunBatches;
  private readonly models = new Map<ModelRef, ModelInfo>();
  private readonly byPrefix = new Map<string, ModelInfo>();
  /** The plan's items by cell, and how many batches each has been in this session. */
  private readonly items = new Map<string, PlanItem>();
  private readonly attempts = new Map<string, number>();
  private readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly secrets: readonly string[];
  private readonly tally = new RunTally();

  constructor(
    private readonly options: CollectOptions,
    private readonly emit: (e: RunEvent) => void,
    private readonly signal: AbortSignal,
  ) {
    this.clock = options.clock ?? systemClock;
    this.batches = options.store.batches();
    this.maxAttempts = Math.max(1, options.maxAttempts ?? attemptsFor(DEFAULTS.retries));
    this.pollMs = options.batch?.pollMs ?? DEFAULT_BATCH_POLL_MS;
    this.secrets = options.secrets ?? [];
  }

  private call(): { signal: AbortSignal; timeoutMs: number } {
    return { signal: this.signal, timeoutMs: this.options.timeoutMs ?? CALL_TIMEOUT_MS };
  }

  async run(): Promise<CollectResult> {
    const { spec, store } = this.options;
    for (const model of spec.models) {
      const provider = this.options.providerFor(model);
      if (!provider.batch) throw new Error(`${model}: ${provider.name} has no batch API`);
      const info = { provider, api: provider.batch, name: parseModelRef(model).model };
      this.models.set(model, info);
      this.byPrefix.set(parseModelRef(model).prefix, info);
    }
    store.setStatus(spec.name, 'running');
    const plan = planRun(spec, store.sampleStates(spec.name), { retryAllErrors: this.options.retryAllErrors });
    const misses: PlanItem[] = [];
    const hits: SampleWrite[] = [];
    for (const item of plan) {
      const m = this.models.get(item.model)!;
      // --fresh: requested again (the cache is written, never read), as the interactive collector does.
      const completion = this.options.fresh === true ? undefined : store.cacheGet(this.keyOf(item, m));
      if (completion) hits.push(okSample(this.options.spec.name, item, completion, 0, 0, true));
      else misses.push(item);
      this.items.set(cellOf({ model: item.model, probe: item.probe.id, index: item.index }), item);
    }
    this.emit(runStartEvent(spec, plan, hits.length));
    store.writeBatch(hits);
    for (const s of hits) this.count(s);

    try {
      await this.recover();
      let pending = misses;
      for (;;) {
        if (this.signal.aborted) break;
        await this.submit(pending);
        // Unconfirmed submits (no vendor id) wait for a resume's lookup; polling cannot move them.
        const live = this.live().filter((b) => b.vendorId !== undefined);
        if (live.length === 0) break;
        await this.clock.sleep(this.pollMs, this.signal);
        pending = [];
        for (const b of live) {
          try {
            pending.push(...(await this.poll(b)));
          } catch (err) {
            if (this.signal.aborted || !classify(err).retryable) throw err;
            // A poll that fails (a 5xx, a dropped connection) is tried again at the next round; the batch stays.
            this.emit({
              type: 'warning',
              message: `batch ${b.vendorId}: poll failed: ${this.clean(classify(err).message)}`,
            });
          }
        }
      }
    } catch (err) {
      if (!this.signal.aborted) throw err;
    }
    const cancelled = this.signal.aborted;
    store.setStatus(spec.name, cancelled ? 'interrupted' : 'finished');
    this.emit({ type: 'run-end', run: spec.name, ok: this.tally.ok, errors: this.tally.errors, cancelled });
    return this.tally.result(spec.name, plan.length, cancelled);
  }

  private keyOf(item: PlanItem, m: ModelInfo): string {
    return planItemCacheKey(item, m.provider, m.name);
  }

  /** This run's batches that have not landed yet. */
  private live(): StoredBatch[] {
    return this.batches.ofRun(this.options.spec.name).filter((b) => !b.landed);
  }

  /** Batches a killed process left `submitting`: found at the vendor (then polled) or forgotten (then resent). */
  private async recover(): Promise<void> {
    for (const b of this.live()) {
      if (b.vendorId !== undefined) continue;
      const info = this.byPrefix.get(b.provider);
      if (!info) continue;
      const found = await info.api.find(b.tag, b.requests, b.createdAt, this.batches.vendorIds(), this.call());
      if (found) this.batches.submitted(b.id, found, 'validating');
      else this.batches.forget(b.id);
    }
  }

  /** Cells held by a live batch: never submitted again while it lives. */
  private held(): Set<string> {
    const held = new Set<string>();
    for (const b of this.live()) for (const r of this.batches.requests(b.id)) held.add(cellOf(r));
    return held;
  }

  private async submit(items: readonly PlanItem[]): Promise<void> {
    if (items.length === 0) return;
    const chunks = chunkForBatches(
      items,
      (item) => parseModelRef(item.model).prefix,
      (prefix) => Math.min(this.byPrefix.get(prefix)!.api.maxRequests, this.options.batch?.maxRequests ?? Infinity),
      this.held(),
    );
    for (const chunk of chunks) {
      if (this.signal.aborted) return;
      const info = this.byPrefix.get(chunk.provider)!;
      const tag = `phylo-${randomUUID()}`;
      const row = this.batches.create(this.options.spec.name, chunk.provider, tag, chunk.requests);
      this.publish(row, 'submitting');
      const requests = chunk.items.map((item, i) => ({
        customId: chunk.requests[i]!.customId,
        request: completionRequest(item, this.models.get(item.model)!.name),
      }));
      for (const item of chunk.items) {
        const cell = cellOf({ model: item.model, probe: item.probe.id, index: item.index });
        this.attempts.set(cell, (this.attempts.get(cell) ?? 0) + 1);
      }
      let status: BatchStatus;
      try {
        status = await info.api.submit(requests, tag, this.call());
      } catch (err) {
        if (this.signal.aborted) throw err;
        // The vendor said no (or we cannot tell whether it heard): a batch it has is found again by its tag.
        const found = await info.api
          .find(tag, requests.length, row.createdAt, this.batches.vendorIds(), this.call())
          .catch(() => null);
        if (found === null) {
          // Cannot tell whether the vendor has it: the row stays `submitting`, and a resume looks for it again.
          this.emit({
            type: 'warning',
            message: `${chunk.provider} batch ${tag}: submit unconfirmed; resume to check`,
          });
          continue;
        }
        if (found) {
          this.batches.submitted(row.id, found, 'validating');
          continue;
        }
        this.batches.forget(row.id);
        const failure = classify(err);
        this.emit({
          type: 'warning',
          message: `${chunk.provider} batch not submitted: ${this.clean(failure.message)}`,
        });
        // A refusal (auth, a bad request) is every sample's answer; a passing failure leaves them for a resume.
        if (!failure.retryable) {
          const samples = chunk.items.map((item) =>
            errorSample(this.options.spec.name, item, failure.kind, this.clean(failure.message), 1),
          );
          this.options.store.writeBatch(samples);
          for (const s of samples) this.count(s);
        }
        continue;
      }
      this.tally.requested += requests.length;
      this.batches.submitted(row.id, status.id, status.state);
      this.publish(this.batches.get(row.id), status.state);
    }
  }

  /** Poll one live batch; once ended, land its answers. Returns the items to submit again. */
  private async poll(b: StoredBatch): Promise<PlanItem[]> {
    if (b.vendorId === undefined) return [];
    const info = this.byPrefix.get(b.provider);
    if (!info) return []; // a batch of a provider this run no longer asks: it stays for a run that does
    const status = await info.api.status(b.vendorId, this.call());
    this.batches.progress(b.id, status.state, status.succeeded, status.errored);
    this.publish(this.batches.get(b.id), status.state);
    if (!ENDED_STATES.has(status.state)) return [];
    const stored = this.batches.requests(b.id);
    const asked = new Map<string, CompletionRequest>();
    const items: PlanItem[] = [];
    for (const r of stored) {
      const item = this.items.get(cellOf(r));
      if (!item) continue; // answered meanwhile (another session): nothing to land
      asked.set(r.customId, completionRequest(item, this.models.get(item.model)!.name));
      items.push(item);
    }
    const results = status.state === 'failed' ? [] : await info.api.results(b.vendorId, asked, this.call());
    return this.land(b, items, results, stored);
  }

  /**
   * Write what a batch answered, ok and errored, with its landed mark in one transaction. Returns the items to
   * submit again: the ones it never ran, and retryable failures, while they have attempts left.
   */
  private land(
    b: StoredBatch,
    items: readonly PlanItem[],
    results: readonly BatchResult[],
    stored: readonly StoredBatchRequest[],
  ): PlanItem[] {
    const byCustom = new Map(results.map((r) => [r.customId, r]));
    const itemOf = new Map(items.map((i) => [cellOf({ model: i.model, probe: i.probe.id, index: i.index }), i]));
    const samples: SampleWrite[] = [];
    const cache: CacheWrite[] = [];
    const again: PlanItem[] = [];
    const turnaround = Math.max(0, Date.now() - Date.parse(b.createdAt));
    for (const r of stored) {
      const cell = cellOf(r);
      const item = itemOf.get(cell);
      if (!item) continue;
      const m = this.models.get(item.model)!;
      const res = byCustom.get(r.customId);
      const attempts = this.attempts.get(cell) ?? 1;
      if (res?.ok) {
        const price = m.provider.price(m.name);
        const u = res.completion.usage;
        const cost =
          ((u.inputTokens * price.inputPerMTok + u.outputTokens * price.outputPerMTok) / 1e6) * m.api.priceFactor;
        samples.push(okSample(this.options.spec.name, item, res.completion, turnaround, attempts, false, cost));
        cache.push({ key: this.keyOf(item, m), completion: res.completion });
        this.items.delete(cell);
        continue;
      }
      const retryable = res === undefined || !res.ran || ['rate_limit', 'server', 'timeout'].includes(res.kind);
      if (retryable && attempts < this.maxAttempts) {
        again.push(item);
        continue;
      }
      const kind = res?.kind ?? 'server';
      const message = res?.message ?? `${item.model}: not answered by batch ${b.vendorId ?? b.id} (${b.state})`;
      samples.push(errorSample(this.options.spec.name, item, kind, this.clean(message), attempts));
      this.items.delete(cell);
    }
    this.options.store.transaction(() => {
      this.options.store.writeBatch(samples, cache);
      this.batches.landed(b.id);
    });
    for (const s of samples) this.count(s);
    this.publish(this.batches.get(b.id), this.batches.get(b.id).state);
    return again;
  }

  private publish(b: StoredBatch, state: string): void {
    this.emit({
      type: 'batch',
      provider: b.provider,
      batch: b.vendorId ?? `#${b.id}`,
      state,
      requests: b.requests,
      succeeded: b.succeeded,
      errored: b.errored,
      landed: b.landed,
      createdAt: b.createdAt,
    });
  }

  /** Count a landed (or cached) sample and tell the listeners, as the interactive collector does. */
  private count(s: SampleWrite): void {
    const o = s.outcome;
    if (s.cached) this.tally.cached++;
    if (o.status === 'ok') {
      this.tally.ok++;
      this.tally.inputTokens += o.usage.inputTokens;
      this.tally.outputTokens += o.usage.outputTokens;
      this.tally.costUsd += s.costUsd;
    } else {
      this.tally.errors++;
      this.tally.errorsByKind[o.kind] = (this.tally.errorsByKind[o.kind] ?? 0) + 1;
    }
    this.emit({
      type: 'sample',
      model: s.model,
      probe: s.probe,
      index: s.index,
      status: s.cached ? 'cached' : o.status,
      ...(o.status === 'error' ? { kind: o.kind } : {}),
      latencyMs: s.latencyMs,
      tokens: o.status === 'ok' ? o.usage.inputTokens + o.usage.outputTokens : 0,
      costUsd: s.costUsd,
    });
  }

  private clean(message: string): string {
    const text = redact(message, this.secrets);
    return text.length > 500 ? `${text.slice(0, 500)}...` : text;
  }
}
