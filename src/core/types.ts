// Shared vocabulary of llm-phylo (see ../shared/DESIGN.md). Plain data only: no I/O here.

declare const brand: unique symbol;
/** A nominal type: a string that has been checked to be a T. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** `provider:model`, e.g. `openai:gpt-4o-mini`, `lab:sotu-1900s`, or `PROFILE:model` for a named profile. */
export type ModelRef = Brand<string, 'ModelRef'>;
export type ProbeId = Brand<string, 'ProbeId'>;
export type RunName = Brand<string, 'RunName'>;

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** What a probe asks: chat messages, or a raw prefix to continue (completion / generate endpoints). */
export type Prompt =
  | { readonly kind: 'chat'; readonly messages: readonly ChatMessage[] }
  | { readonly kind: 'prefix'; readonly prefix: string };

/** An expected answer, for correctness traits. */
export type Answer =
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'regex'; readonly pattern: string; readonly flags?: string }
  | { readonly kind: 'oneOf'; readonly values: readonly string[] };

/** Sampling settings that change a response. Every field here is part of the cache key. */
export interface SamplingParams {
  readonly temperature: number;
  readonly maxTokens: number;
  readonly topP?: number;
  readonly seed?: number;
  /** Ask for logprobs of the chosen tokens and this many alternatives (0 = chosen only). */
  readonly topLogprobs?: number;
}

export interface Probe {
  readonly id: ProbeId;
  readonly tags: readonly string[];
  readonly prompt: Prompt;
  /** Overrides of the suite's defaults. */
  readonly sampling?: Partial<Pick<SamplingParams, 'temperature' | 'maxTokens' | 'topP' | 'seed'>>;
  /** Samples to draw of this probe; overrides the suite and run default. */
  readonly samples?: number;
  readonly answer?: Answer;
}

export interface Suite {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** Where it was loaded from (for error messages); absent for suites built in code. */
  readonly file?: string;
  readonly defaults: { readonly sampling: SamplingParams; readonly samples: number };
  readonly probes: readonly Probe[];
}

/** One token's logprob, with alternatives when asked for. */
export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly top?: readonly { readonly token: string; readonly logprob: number }[];
}

/** Why a request failed, in kinds the scheduler and the user can act on. */
export type FailureKind =
  | 'rate_limit' // 429: retry after a wait, lower concurrency
  | 'timeout' // no answer in time
  | 'server' // 5xx
  | 'connection' // refused, reset, dropped
  | 'bad_response' // malformed body
  | 'auth' // 401/403: fatal for the model
  | 'bad_request' // 4xx other than the above: fatal for the sample
  | 'not_found' // unknown model
  | 'unsupported'; // the provider cannot do what the probe asks (e.g. raw prefix on a chat-only API)

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** A successful response as the provider gave it. */
export interface Completion {
  readonly text: string;
  readonly finishReason: string;
  readonly usage: Usage;
  readonly logprobs?: readonly TokenLogprob[];
  /** The temperature actually used (differs when the model accepts only its default). */
  readonly temperatureUsed: number;
  /** The model id the server says answered (audits compare it with the one asked for). */
  readonly servedModel?: string;
  /** What the endpoint says its build is: OpenAI's system_fingerprint, an Ollama digest, the lab zoo's fingerprint. */
  readonly fingerprint?: string;
  /** The client library that asked, with its version (e.g. `openai-node 6.49.0`). */
  readonly client?: string;
  /** Anything the adapter changed about the request, said plainly (e.g. "temperature fixed at default"). */
  readonly note?: string;
}

/** One response of one model to one probe: answered or failed, never both. */
export type SampleOutcome =
  | ({ readonly status: 'ok' } & Completion)
  | { readonly status: 'error'; readonly kind: FailureKind; readonly message: string };

export interface Sample {
  readonly run: RunName;
  readonly model: ModelRef;
  readonly probe: ProbeId;
  readonly index: number;
  readonly outcome: SampleOutcome;
  readonly latencyMs: number;
  readonly attempts: number;
  readonly costUsd: number;
  /** ISO time the sample was stored. */
  readonly at: string;
  /** The seed sent with the request, derived from (run seed, model, probe, index); absent for unseeded samples. */
  readonly seed?: number;
  /** Served from the response cache without a request. */
  readonly cached?: boolean;
  /** ISO time the answer was produced (for a cached sample, when it was first collected). */
  readonly collectedAt?: string;
  /** The provider's base URL, without credentials or query. */
  readonly baseURL?: string;
}

export interface RunSpec {
  readonly name: RunName;
  readonly suite: Suite;
  readonly models: readonly ModelRef[];
  /** Default samples per probe (a probe's own `samples` wins). */
  readonly samples: number;
  /** Run-level sampling overrides (CLI flags), applied over suite defaults and under probe overrides. */
  readonly sampling?: Partial<SamplingParams>;
}
