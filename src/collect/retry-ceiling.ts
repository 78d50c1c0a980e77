// A server asking for a long wait (Retry-After of an hour, or a 30-digit value) is not worth sleeping through in
// silence: over the ceiling (`--max-retry-wait`, default 60 s) the sample fails as rate_limit with the server's
// figure in its message, and a later resume retries it.

/** The failure message when the server's wait is over the ceiling, else undefined (wait and retry). */
export function overRetryCeiling(message: string, retryAfterMs: number | undefined, maxMs: number): string | undefined {
  if (retryAfterMs === undefined || retryAfterMs <= maxMs) return undefined;
  return (
    `${message}; the server asked to wait ${formatWait(retryAfterMs)}, over the ${formatWait(maxMs)} limit ` +
    '(--max-retry-wait); run again later to resume'
  );
}

/** A wait in seconds for a message: "90 s", "1.11e+29 s". */
export function formatWait(ms: number): string {
  const s = ms / 1000;
  return `${s < 1e6 ? Number(s.toFixed(s < 10 ? 1 : 0)) : s.toPrecision(3)} s`;
}
