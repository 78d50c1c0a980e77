// Defaults of collection and discovery, in one place: the CLI, the TUI, the collector and provider embeddings read
// them here, and the help texts quote them from here.

export const DEFAULTS = {
  /** Requests in flight per provider when neither --concurrency nor the profile's rateLimit says. */
  concurrency: 4,
  /** Per-request timeout when neither --timeout nor the profile's timeoutMs says. */
  timeoutMs: 60_000,
  /** Retries per sample after the first attempt (so 5 attempts). */
  retries: 4,
  /** Successes in a row before a concurrency lowered by a rate limit grows back by one. */
  growAfter: 10,
  // A commit rewrites every B-tree page it touches, and cache keys are hashes that land on random pages: 256 rows
  // per commit write a third fewer WAL bytes than 64 and block the event loop a third as long.
  /** Samples per write transaction. */
  writeBatch: 256,
  /** The longest an answered sample waits in memory before it is written. */
  flushMs: 200,
  /** The most top-k logprobs a request may ask for (OpenAI's chat API returns at most 20). */
  maxTopLogprobs: 20,
  /** Texts per embeddings request: well under OpenAI's 2048 inputs and its per-request token budget. */
  embedBatch: 64,
  /** Embedding requests in flight at most (the profile's concurrency may lower it). */
  embedConcurrency: 4,
  /** How long `phylo models` and the app wait for a provider to list its models. */
  discoveryTimeoutMs: 5000,
} as const;

/** Attempts per request, including the first, for a number of retries. */
export function attemptsFor(retries: number): number {
  return Math.max(1, Math.floor(retries) + 1);
}
