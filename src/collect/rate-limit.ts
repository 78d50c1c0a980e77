// Requests and tokens per minute, enforced before each request: a sliding window of the last minute's request starts
// (and their tokens), so no 60-second window ever holds more than the profile allows; and what the vendor's
// rate-limit headers said (x-ratelimit-remaining-*, anthropic-ratelimit-*): none left means wait for the reset.
// Callers queue in order (one waiter at a time), so a burst cannot slip several requests through one free slot.
import type { CompletionRequest, Provider, ServerLimits } from '../providers/provider.js';
import type { Clock } from './clock.js';

export interface RateLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

export const MINUTE_MS = 60_000;
/** A request starts this fraction of the window later than the arithmetic allows: clocks and transports skew. */
const GUARD = 0.01;

interface Entry {
  /** When the request ended (answered or failed); Infinity while it is in flight. */
  at: number;
  tokens: number;
}

/** A started request: call `done` when it ends, with the tokens it used when known. */
export interface RequestSlot {
  done(actualTokens?: number): void;
}

export class RateLimiter {
  private log: Entry[] = [];
  private queue: Promise<void> = Promise.resolve();
  private server: ServerLimits | undefined;
  private seen: ServerLimits | undefined;
  private wakeUps: (() => void)[] = [];

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: Clock,
    /** The window; a minute, scaled down by tests. */
    private readonly windowMs: number = MINUTE_MS,
  ) {}

  /** Whether anything is limited (a limiter without limits costs nothing per request). */
  get active(): boolean {
    return this.limits.requestsPerMinute !== undefined || this.limits.tokensPerMinute !== undefined;
  }

  /**
   * Nothing to enforce for a request of `tokens` now (no profile limit, and the headers leave room or say nothing):
   * the request goes without queueing; the remaining count is taken.
   */
  free(tokens: number): boolean {
    if (this.active) return false;
    const s = this.server;
    if (!s) return true;
    const requestsLeft = s.remainingRequests === undefined || s.remainingRequests > 0;
    const tokensLeft = s.remainingTokens === undefined || s.remainingTokens >= tokens;
    if (!requestsLeft || !tokensLeft) return false;
    // Counted down locally until the next answer's headers say again: a burst cannot spend one remaining twice.
    if (s.remainingRequests !== undefined) this.server = { ...s, remainingRequests: s.remainingRequests - 1 };
    return true;
  }

  /** What the vendor's headers said last; read before each request. */
  observe(server: ServerLimits | undefined): void {
    // Only news replaces what we count down locally (the provider hands back the same object until an answer).
    if (server && server !== this.seen) {
      this.seen = server;
      this.server = server;
    }
  }

  /**
   * Wait until a request of about `tokens` tokens may start. A request counts in the window from its start until
   * a window after it ENDS: the server sees it arrive somewhere in between, so counting it until then is what keeps
   * every window at the server within the limit, however the transport delays it. Rejects when cancelled.
   */
  acquire(tokens: number, signal: AbortSignal): Promise<RequestSlot> {
    const turn = this.queue.then(() => this.waitForRoom(tokens, signal));
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForRoom(tokens: number, signal: AbortSignal): Promise<RequestSlot> {
    for (;;) {
      const wait = this.waitMs(tokens);
      if (wait <= 0) break;
      if (wait === Number.POSITIVE_INFINITY) await this.nextEnd(signal);
      else await this.clock.sleep(wait, signal);
    }
    const entry: Entry = { at: Number.POSITIVE_INFINITY, tokens };
    this.log.push(entry);
    if (this.server?.remainingRequests !== undefined)
      this.server = { ...this.server, remainingRequests: this.server.remainingRequests - 1 };
    return {
      done: (actual) => {
        if (entry.at !== Number.POSITIVE_INFINITY) return;
        entry.at = this.clock.now();
        if (actual !== undefined) entry.tokens = actual;
        for (const wake of this.wakeUps.splice(0)) wake();
      },
    };
  }

  /** Resolve when a request in flight ends (all the window holds may be in flight). */
  private nextEnd(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.wakeUps.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** How long until a request of `tokens` fits every limit: 0 now, Infinity when only an end can make room. */
  private waitMs(tokens: number): number {
    const now = this.clock.now();
    const window = this.windowMs * (1 + GUARD);
    if (this.log.length > 64) this.log = this.log.filter((e) => e.at > now - window);
    const counted = this.log.filter((e) => e.at > now - window);
    let wait = 0;
    // Entries leave the window in the order of their ends; in-flight ones (Infinity) last.
    const leaving = counted.map((e) => e.at).sort((a, b) => a - b);
    const rpm = this.limits.requestsPerMinute;
    if (rpm !== undefined && counted.length >= rpm) {
      const out = leaving[counted.length - Math.floor(rpm)]!;
      wait = Math.max(wait, out + window - now);
    }
    const tpm = this.limits.tokensPerMinute;
    if (tpm !== undefined) {
      const byEnd = [...counted].sort((a, b) => a.at - b.at);
      let used = byEnd.reduce((n, e) => n + e.tokens, 0);
      // A request larger than the whole budget waits for an empty window rather than forever.
      const budget = Math.max(tpm - Math.min(tokens, tpm), 0);
      for (let i = 0; i < byEnd.length && used > budget; i++) {
        used -= byEnd[i]!.tokens;
        wait = Math.max(wait, byEnd[i]!.at + window - now);
      }
    }
    const s = this.server;
    if (s) {
      const since = now - s.at;
      if (s.remainingRequests !== undefined && s.remainingRequests <= 0 && s.resetRequestsMs !== undefined)
        wait = Math.max(wait, s.resetRequestsMs - since);
      if (s.remainingTokens !== undefined && s.remainingTokens < tokens && s.resetTokensMs !== undefined)
        wait = Math.max(wait, s.resetTokensMs - since);
    }
    return wait;
  }
}

/** The tokens a request may use, before it is sent: its prompt at about four characters a token, plus its cap. */
export function estimateTokens(promptChars: number, maxTokens: number): number {
  return Math.ceil(promptChars / 4) + maxTokens;
}

/** The limiter of a provider: its profile's per-minute limits and its rate-limit headers; undefined when neither. */
export function rateLimiterFor(provider: Provider, clock: Clock, windowMs?: number): RateLimiter | undefined {
  const limits = {
    ...(provider.rateLimit?.requestsPerMinute !== undefined
      ? { requestsPerMinute: provider.rateLimit.requestsPerMinute }
      : {}),
    ...(provider.rateLimit?.tokensPerMinute !== undefined
      ? { tokensPerMinute: provider.rateLimit.tokensPerMinute }
      : {}),
  };
  const limiter = new RateLimiter(limits, clock, windowMs);
  return limiter.active || provider.serverLimits ? limiter : undefined;
}

/**
 * Wait for room for one request of a provider (its latest headers first); call `done` when it ends. Undefined, at
 * no cost, when nothing limits it now (no profile limit, and the headers say requests and tokens remain).
 */
export function takeRequestSlot(
  limiter: RateLimiter,
  provider: Provider,
  request: CompletionRequest,
  signal: AbortSignal,
): Promise<RequestSlot> | undefined {
  limiter.observe(provider.serverLimits?.());
  const chars =
    request.kind === 'chat' ? request.messages.reduce((n, m) => n + m.content.length, 0) : request.prefix.length;
  const tokens = estimateTokens(chars, request.sampling.maxTokens);
  return limiter.free(tokens) ? undefined : limiter.acquire(tokens, signal);
}

/** A slot for one request, none when nothing limits it, or 'cancelled' when the run was cancelled while waiting. */
export async function requestSlot(
  limiter: RateLimiter | undefined,
  provider: Provider,
  request: CompletionRequest,
  signal: AbortSignal,
): Promise<RequestSlot | undefined | 'cancelled'> {
  const waiting = limiter ? takeRequestSlot(limiter, provider, request, signal) : undefined;
  return waiting?.catch(() => 'cancelled' as const);
}
