// The one interface every provider adapter implements (STYLE.md: AI SDK's spec). Adapters are thin: they map their
// official SDK onto this and declare what they can do instead of discovering it by try/catch.
import type { ChatMessage, Completion, FailureKind, SamplingParams } from '../core/types.js';
import type { BatchApi } from './batch.js';

export interface Capabilities {
  readonly chat: boolean;
  /** Continue a raw prefix (OpenAI /v1/completions, Ollama generate with raw). */
  readonly rawCompletion: boolean;
  readonly logprobs: boolean;
  readonly seed: boolean;
  readonly modelListing: boolean;
  readonly embeddings: boolean;
}

/** How a model treats temperature: any value, or only its default (the adapter then samples at the default). */
export type TemperatureRule =
  | { readonly kind: 'any'; readonly max: number }
  | { readonly kind: 'default-only'; readonly value: number };

interface RequestCommon {
  readonly model: string;
  readonly sampling: SamplingParams;
  /** Which repeated sample of the probe this is. Live providers ignore it (the seed, if any, is in `sampling`);
   * providers that serve stored samples (replay) answer with the stored sample of that index. */
  readonly sampleIndex?: number;
}

export type CompletionRequest =
  | (RequestCommon & { readonly kind: 'chat'; readonly messages: readonly ChatMessage[] })
  | (RequestCommon & { readonly kind: 'prefix'; readonly prefix: string });

export interface CallOptions {
  readonly signal: AbortSignal;
  /** Per-request timeout; the adapter passes it to its SDK (or fetch) and reports a 'timeout' failure. */
  readonly timeoutMs: number;
}

/** Limits from the profile (providers/*.yaml); the scheduler in src/collect enforces them. */
export interface RateLimit {
  readonly maxConcurrency: number;
  /** Absent: no per-minute limit known. */
  readonly requestsPerMinute?: number;
  /** Input plus output tokens per minute; absent: no limit known. */
  readonly tokensPerMinute?: number;
}

export interface Provider {
  /** The prefix of model refs it serves: a kind (`openai`) or a profile name (`together`). */
  readonly name: string;
  readonly kind: string;
  /** Base URL, part of the cache key (never the key itself). Empty for in-process providers. */
  readonly baseURL: string;
  readonly capabilities: Capabilities;
  temperatureRule(model: string): TemperatureRule;
  complete(request: CompletionRequest, options: CallOptions): Promise<Completion>;
  listModels(options: CallOptions): Promise<string[]>;
  /**
   * What the endpoint's listing says a model is, for provenance when its answers do not say it (Ollama's digest).
   * The collector asks once per model per run, after a first answer; a failure leaves the fingerprint out.
   */
  describeModel?(model: string, options: CallOptions): Promise<{ readonly fingerprint?: string }>;
  embed?(model: string, texts: readonly string[], options: CallOptions): Promise<Float64Array[]>;
  /** Price per million tokens, for cost accounting; zero when unknown. */
  price(model: string): { readonly inputPerMTok: number; readonly outputPerMTok: number };
  /** From the profile, when there is one: concurrency and request-rate limits. */
  readonly rateLimit?: RateLimit;
  /** From the profile: the per-request timeout to pass as `CallOptions.timeoutMs`. */
  readonly timeoutMs?: number;
  /** From the profile: sampling defaults, applied under the suite's and the probe's settings. */
  readonly defaults?: Partial<SamplingParams>;
  /** The vendor's batch API (`phylo run --batch`), when it has one (batch.ts). */
  readonly batch?: BatchApi;
  /**
   * Rate-limit state the server reported with its last answers (x-ratelimit-remaining-*, anthropic-ratelimit-*),
   * read by the scheduler before each request (src/collect/rate-limit.ts).
   */
  readonly serverLimits?: () => ServerLimits | undefined;
}

/** What a vendor's rate-limit headers said: what remains in the current window, and when it resets. */
export interface ServerLimits {
  readonly remainingRequests?: number;
  readonly remainingTokens?: number;
  /** Milliseconds from `at` until the requests (tokens) window refills. */
  readonly resetRequestsMs?: number;
  readonly resetTokensMs?: number;
  /** performance.now() when the headers were read. */
  readonly at: number;
}

/** A failed call, classified. `retryAfterMs` comes from Retry-After / retry-after-ms headers when sent. */
export class ProviderCallError extends Error {
  override readonly name = 'ProviderCallError';
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return (
      this.kind === 'rate_limit' ||
      this.kind === 'timeout' ||
      this.kind === 'server' ||
      this.kind === 'connection' ||
      this.kind === 'bad_response'
    );
  }
}
