// How long to wait before retry number `attempt` (1-based). "Full jitter" exponential backoff (Brooker, AWS
// Architecture Blog 2015, "Exponential Backoff and Jitter"): uniform in [0, min(cap, base * 2^(attempt-1))].
// A server's Retry-After wins over our own guess, because it knows when its window reopens.
import type { Rng } from '../core/random.js';

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

export function fullJitterDelay(attempt: number, policy: BackoffPolicy, rng: Rng): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return rng() * ceiling;
}

/** The wait before the next attempt: the server's retry-after when given (plus a little jitter so waiters spread). */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, policy: BackoffPolicy, rng: Rng): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return retryAfterMs + rng() * Math.min(1000, policy.baseMs);
  }
  return fullJitterDelay(attempt, policy, rng);
}
