// Folds the engine's RunEvents into what the run screen shows. The engine may emit thousands of events a second;
// the tracker absorbs them cheaply and the view takes a snapshot at its own pace (see hooks/use-run-progress.ts).
import type { RunEvent } from '../core/events.js';
import type { FailureKind } from '../core/types.js';
import { oneLine } from '../core/sanitize.js';

export interface ModelProgress {
  readonly model: string;
  readonly total: number;
  readonly done: number;
  readonly ok: number;
  readonly cached: number;
  readonly errors: Readonly<Partial<Record<FailureKind, number>>>;
  readonly tokens: number;
  readonly costUsd: number;
  readonly p50LatencyMs: number | undefined;
  readonly etaMs: number | undefined;
}

export interface LogLine {
  readonly atMs: number;
  readonly level: 'warn' | 'info';
  readonly text: string;
}

export type RunPhase = 'starting' | 'running' | 'paused' | 'finished' | 'cancelled';

export interface ProgressSnapshot {
  readonly run: string;
  readonly phase: RunPhase;
  readonly total: number;
  readonly done: number;
  readonly errors: number;
  readonly tokens: number;
  readonly costUsd: number;
  readonly elapsedMs: number;
  readonly etaMs: number | undefined;
  readonly models: readonly ModelProgress[];
  readonly log: readonly LogLine[];
  /** Events absorbed since the tracker was made; the benchmark reports it. */
  readonly events: number;
  /** Vendor batches of a `--batch` run, by id, in the state their last event gave. */
  readonly batches: readonly BatchProgress[];
}

/** A vendor batch as its last event described it (the event without its type). */
export type BatchProgress = Omit<Extract<RunEvent, { type: 'batch' }>, 'type'>;

interface MutableModel {
  total: number;
  done: number;
  ok: number;
  cached: number;
  errors: Partial<Record<FailureKind, number>>;
  tokens: number;
  costUsd: number;
  latencies: number[];
  /** Samples done this session that were not cache hits: they set the pace for the ETA. */
  fresh: number;
  firstFreshAtMs: number | undefined;
}

const LOG_KEEP = 200;

/** Median by sorting a copy; called at most a few times a second on at most a few thousand values. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export class ProgressTracker {
  private run = '';
  private phase: RunPhase = 'starting';
  private readonly models = new Map<string, MutableModel>();
  private readonly log: LogLine[] = [];
  private readonly batches = new Map<string, BatchProgress>();
  private startedAtMs: number | undefined;
  private pausedAtMs: number | undefined;
  private pausedTotalMs = 0;
  private endedAtMs: number | undefined;
  private events = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  private model(ref: string): MutableModel {
    let m = this.models.get(ref);
    if (!m) {
      m = {
        total: 0,
        done: 0,
        ok: 0,
        cached: 0,
        errors: {},
        tokens: 0,
        costUsd: 0,
        latencies: [],
        fresh: 0,
        firstFreshAtMs: undefined,
      };
      this.models.set(ref, m);
    }
    return m;
  }

  private note(level: LogLine['level'], text: string): void {
    this.log.push({ atMs: this.now(), level, text: oneLine(text) });
    if (this.log.length > LOG_KEEP) this.log.splice(0, this.log.length - LOG_KEEP);
  }

  apply(event: RunEvent): void {
    this.events++;
    switch (event.type) {
      case 'run-start':
        // A tracker can follow several runs in turn (the demo collects two): each run counts from zero.
        if (event.run !== this.run) {
          this.models.clear();
          this.batches.clear();
        }
        this.run = event.run;
        this.phase = 'running';
        this.endedAtMs = undefined;
        this.startedAtMs = this.now();
        for (const ref of event.models) this.model(ref).total = event.perModel[ref] ?? 0;
        if (event.cached > 0) this.note('info', `${event.cached} of ${event.total} samples already in the cache`);
        break;
      case 'sample': {
        const m = this.model(event.model);
        m.done++;
        m.tokens += event.tokens;
        m.costUsd += event.costUsd;
        if (event.status === 'error') {
          const kind = event.kind ?? 'bad_response';
          m.errors[kind] = (m.errors[kind] ?? 0) + 1;
        } else {
          m.ok++;
          if (event.status === 'cached') m.cached++;
          else m.latencies.push(event.latencyMs);
        }
        if (event.status !== 'cached') {
          if (m.firstFreshAtMs === undefined) m.firstFreshAtMs = this.now() - event.latencyMs;
          m.fresh++;
        }
        break;
      }
      case 'retry':
        this.note(
          'warn',
          `${event.model} ${event.probe}: ${event.kind.replace('_', ' ')}, ` +
            `retry ${event.attempt} in ${Math.round(event.waitMs)}ms (${event.message})`,
        );
        break;
      case 'concurrency':
        this.note('warn', `${event.provider}: concurrency ${event.limit} (${event.reason})`);
        break;
      case 'warning':
        this.note('warn', event.message);
        break;
      case 'batch': {
        const { type: _type, ...batch } = event;
        const before = this.batches.get(batch.batch);
        if (!before || before.state !== batch.state || before.landed !== batch.landed)
          this.note('info', `${batch.provider} batch ${batch.batch}: ${batch.state}${batch.landed ? ', landed' : ''}`);
        // A submitted batch replaces the store number it was known by while it was being submitted.
        if (batch.batch.startsWith('#') === false)
          for (const [id, b] of this.batches)
            if (id.startsWith('#') && b.provider === batch.provider) this.batches.delete(id);
        this.batches.set(batch.batch, batch);
        break;
      }
      case 'paused':
        this.phase = 'paused';
        this.pausedAtMs = this.now();
        this.note('info', 'paused');
        break;
      case 'resumed':
        if (this.pausedAtMs !== undefined) this.pausedTotalMs += this.now() - this.pausedAtMs;
        this.pausedAtMs = undefined;
        this.phase = 'running';
        this.note('info', 'resumed');
        break;
      case 'run-end':
        this.phase = event.cancelled ? 'cancelled' : 'finished';
        this.endedAtMs = this.now();
        this.note(
          'info',
          `${event.cancelled ? 'cancelled' : 'finished'}: ${event.ok} ok, ${event.errors} errors; ` +
            'everything collected is stored',
        );
        break;
    }
  }

  private activeMs(at: number): number {
    if (this.startedAtMs === undefined) return 0;
    const end = this.endedAtMs ?? at;
    const pausing = this.pausedAtMs !== undefined ? end - this.pausedAtMs : 0;
    return Math.max(0, end - this.startedAtMs - this.pausedTotalMs - pausing);
  }

  snapshot(): ProgressSnapshot {
    const at = this.now();
    const running = this.phase === 'running' || this.phase === 'paused';
    const models: ModelProgress[] = [];
    let total = 0;
    let done = 0;
    let errors = 0;
    let tokens = 0;
    let costUsd = 0;
    let etaMs: number | undefined = 0;
    for (const [model, m] of this.models) {
      const errs = Object.values(m.errors).reduce((a, b) => a + (b ?? 0), 0);
      const remaining = Math.max(0, m.total - m.done);
      let eta: number | undefined;
      if (remaining === 0) eta = 0;
      else if (running && m.fresh > 0 && m.firstFreshAtMs !== undefined) {
        // Pace of this session's fresh samples (cache hits would make the ETA absurdly short).
        const span = Math.max(1, at - m.firstFreshAtMs - this.pausedTotalMs);
        eta = (remaining * span) / m.fresh;
      }
      models.push({
        model,
        total: m.total,
        done: m.done,
        ok: m.ok,
        cached: m.cached,
        errors: { ...m.errors },
        tokens: m.tokens,
        costUsd: m.costUsd,
        p50LatencyMs: median(m.latencies),
        etaMs: eta,
      });
      total += m.total;
      done += m.done;
      errors += errs;
      tokens += m.tokens;
      costUsd += m.costUsd;
      // Models run concurrently, so the run ends with its slowest model.
      etaMs = eta === undefined || etaMs === undefined ? undefined : Math.max(etaMs, eta);
    }
    return {
      run: this.run,
      phase: this.phase,
      total,
      done,
      errors,
      tokens,
      costUsd,
      elapsedMs: this.activeMs(at),
      etaMs: running ? etaMs : 0,
      models,
      log: this.log.slice(),
      events: this.events,
      batches: [...this.batches.values()],
    };
  }
}
