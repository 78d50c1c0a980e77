// Answered samples wait in memory until a batch is full or `flushMs` has passed, then go to the store in one
// transaction with their cache entries: one fsync per sample would cap collection at a few hundred per second.
import type { SampleWrite } from '../store/rows.js';
import type { CacheWrite, SqliteStore } from '../store/sqlite.js';

export class SampleWriter {
  private pendingSamples: SampleWrite[] = [];
  private pendingCache: CacheWrite[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: SqliteStore,
    private readonly batchSize: number,
    private readonly flushMs: number,
  ) {}

  queue(sample: SampleWrite, cache?: CacheWrite): void {
    this.pendingSamples.push(sample);
    if (cache) this.pendingCache.push(cache);
    if (this.pendingSamples.length >= this.batchSize) this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.flush();
      }, this.flushMs);
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
