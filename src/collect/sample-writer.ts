// Answered samples wait in memory until a batch is full or `flushMs` has passed, then go to the store in one
// transaction with their cache entries: one fsync per sample would cap collection at a few hundred per second.
import type { SampleWrite } from '../store/rows.js';
import type { CacheWrite, SqliteStore } from '../store/sqlite.js';

export class SampleWriter {
  private pendingSamples: SampleWrite[] = [];
  private pendingCache: CacheWrite[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** After a failed write, later samples are dropped: the store cannot take them and the run stops. */
  private failed = false;

  constructor(
    private readonly store: SqliteStore,
    private readonly batchSize: number,
    private readonly flushMs: number,
    /** Called when a write fails (the store is full or gone); the samples of that batch stay unwritten. */
    private readonly onFailure: (err: unknown) => void = (err) => {
      throw err;
    },
  ) {}

  queue(sample: SampleWrite, cache?: CacheWrite): void {
    if (this.failed) return;
    this.pendingSamples.push(sample);
    if (cache) this.pendingCache.push(cache);
    if (this.pendingSamples.length >= this.batchSize) this.flushSafely();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.flushSafely();
      }, this.flushMs);
    }
  }

  /** flush, with a failure handed to onFailure instead of thrown (a timer callback has nobody to throw to). */
  flushSafely(): void {
    try {
      this.flush();
    } catch (err) {
      this.failed = true;
      this.onFailure(err);
    }
  }

  /** Write everything queued now (and stop the pending timer). */
  flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.pendingSamples.length === 0 && this.pendingCache.length === 0) return;
    const samples = this.pendingSamples;
    const cache = this.pendingCache;
    this.pendingSamples = [];
    this.pendingCache = [];
    this.store.writeBatch(samples, cache);
  }
}
