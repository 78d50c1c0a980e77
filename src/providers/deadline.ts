// A per-request deadline merged with the caller's cancellation signal, so a hung request ends within its timeout
// whatever the SDK does, and we can tell "timed out" (retryable) from "cancelled by the caller" (stop).

export interface Deadline {
  readonly signal: AbortSignal;
  /** True when the deadline, not the caller, ended the request. */
  timedOut(): boolean;
}

export function deadline(caller: AbortSignal, timeoutMs: number): Deadline {
  const timer = AbortSignal.timeout(Math.max(1, Math.round(timeoutMs)));
  return {
    signal: AbortSignal.any([caller, timer]),
    timedOut: () => timer.aborted && !caller.aborted,
  };
}
