// Time as a dependency, so retry and backoff tests run instantly and deterministically (no timed assertions).

/** The longest delay a Node timer can hold (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Clock {
  now(): number;
  /** Resolve after `ms`, or reject with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        // setTimeout takes at most 2^31-1 ms and turns anything longer into 1 ms (with a warning): clamp instead.
        Math.min(MAX_TIMER_MS, Math.max(0, ms)),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
