// Per-provider concurrency that backs off under rate limiting: additive increase, multiplicative decrease (AIMD,
// Jacobson 1988; RFC 5681 congestion control). Halve on a 429, grow by one after `growAfter` successes in a row,
// never above the configured ceiling (the profile's limit or --concurrency) and never below one.
import pLimit, { type LimitFunction } from 'p-limit';

export interface LimitChange {
  readonly limit: number;
  readonly reason: string;
}

export class AdaptiveLimit {
  private readonly limiter: LimitFunction;
  private successes = 0;
  /** Bumped at every decrease; a 429 from a request sent before the last decrease does not halve again. */
  private epoch = 0;

  constructor(
    readonly ceiling: number,
    private readonly growAfter: number,
    private readonly onChange: (change: LimitChange) => void = () => {},
  ) {
    if (!Number.isInteger(ceiling) || ceiling < 1)
      throw new RangeError(`concurrency ceiling must be a positive integer, got ${ceiling}`);
    this.limiter = pLimit(ceiling);
  }

  get limit(): number {
    return this.limiter.concurrency;
  }

  get active(): number {
    return this.limiter.activeCount;
  }

  /** Run `task` within the limit; it receives the epoch it started in, to report back with. */
  run<T>(task: (epoch: number) => Promise<T>): Promise<T> {
    return this.limiter(() => task(this.epoch));
  }

  rateLimited(startedEpoch: number): void {
    this.successes = 0;
    if (startedEpoch !== this.epoch) return;
    this.epoch++;
    const next = Math.max(1, Math.floor(this.limiter.concurrency / 2));
    if (next !== this.limiter.concurrency) {
      this.limiter.concurrency = next;
      this.onChange({ limit: next, reason: 'rate limited: halved' });
    }
  }

  succeeded(): void {
    if (this.limiter.concurrency >= this.ceiling) return;
    if (++this.successes >= this.growAfter) {
      this.successes = 0;
      this.limiter.concurrency = this.limiter.concurrency + 1;
      this.onChange({ limit: this.limiter.concurrency, reason: `${this.growAfter} successes: +1` });
    }
  }
}
