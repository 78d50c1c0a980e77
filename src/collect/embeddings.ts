// Provider embeddings of response texts (OpenAI /v1/embeddings, Ollama /api/embed): the network part. Each distinct
// text is embedded once, in batches, with collection's retry policy, and cached in the store under a key of (provider
// kind, base URL, model, text), never a secret, so re-analysing a run makes no request. The pure part (texts to
// per-probe vectors) is src/phenotype/provider-embeddings.ts.
import pLimit from 'p-limit';
import { attemptsFor, DEFAULTS } from '../core/defaults.js';
import { InputError } from '../core/errors.js';
import { type Rng, seededRng } from '../core/random.js';
import type { FailureKind } from '../core/types.js';
import { isBlank } from '../phenotype/provider-embeddings.js';
import { ResponseTooLargeError } from '../providers/bulk-cap.js';
import type { Provider } from '../providers/provider.js';
import type { EmbeddingCache, EmbeddingEntry } from '../store/api.js';
import { embeddingCacheKey } from '../store/cache-key.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelay } from './backoff.js';
import { classify } from './classify.js';
import { type Clock, systemClock } from './clock.js';
import { redact } from './redact.js';

export interface EmbedTextsOptions {
  readonly batchSize?: number;
  /** Requests in flight at once; default the provider's profile limit, at most DEFAULTS.embedConcurrency. */
  readonly concurrency?: number;
  /** Attempts per batch including the first; default as collection's (DEFAULTS.retries + 1). */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly clock?: Clock;
  readonly rng?: Rng;
  /** Per request; default the provider's profile timeout, else DEFAULTS.timeoutMs. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Values to blank out of error messages (secretsFromEnv). */
  readonly secrets?: readonly string[];
  /** Why no request may be made (e.g. no API key): thrown if any text is not cached, before any request. */
  readonly cannotRequest?: Error;
  /** After each requested batch is stored: texts with a vector so far (cached included) of the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface EmbedTextsResult {
  readonly vectors: ReadonlyMap<string, Float64Array>;
  /** Distinct non-blank texts. */
  readonly texts: number;
  /** Of them, served from the cache. */
  readonly cached: number;
  /** HTTP requests made, retries included. */
  readonly requests: number;
}

const HINTS: Partial<Record<FailureKind, (p: Provider, model: string) => string>> = {
  auth: (p) => `check the API key of provider ${p.name}`,
  connection: (p) => `is the server at ${p.baseURL || p.name} running?`,
  timeout: (p) => `is the server at ${p.baseURL || p.name} running and not overloaded?`,
  not_found: (p, model) =>
    `does ${p.name} serve the embedding model ${model}?${p.kind === 'ollama' ? ` (ollama pull ${model})` : ''}`,
  rate_limit: () => 'the server keeps refusing for rate limits; try again later',
  bad_request: () => 'the server refused the texts (too long for the model?)',
};

/**
 * Embed texts through a provider, reading and filling the cache: each distinct text is requested at most once,
 * `batchSize` at a time, with collection's retry policy (full-jitter backoff, Retry-After honoured). Every batch is
 * stored as soon as it arrives, so an interrupted run resumes. Vectors are rounded to float32, the precision the cache
 * keeps, so a first and a cached run give the same numbers. Throws InputError naming the model and what to check.
 */
export async function embedTexts(
  provider: Provider,
  model: string,
  texts: Iterable<string>,
  cache: EmbeddingCache,
  options: EmbedTextsOptions = {},
): Promise<EmbedTextsResult> {
  const ref = `${provider.name}:${model}`;
  if (!provider.embed || !provider.capabilities.embeddings) {
    throw new InputError(
      `embeddings ${ref}: provider ${provider.name} has no embeddings endpoint; ` +
        'use e.g. openai:text-embedding-3-small or ollama:nomic-embed-text',
    );
  }
  const embed = provider.embed.bind(provider);
  const unique = [...new Set(texts)].filter((t) => !isBlank(t));
  const keyOf = new Map(
    unique.map((t) => [
      t,
      embeddingCacheKey({ providerKind: provider.kind, baseURL: provider.baseURL, model, text: t }),
    ]),
  );
  const stored = cache.getEmbeddings([...keyOf.values()]);
  const vectors = new Map<string, Float64Array>();
  const missing: string[] = [];
  for (const t of unique) {
    const v = stored.get(keyOf.get(t)!);
    if (v) vectors.set(t, v);
    else missing.push(t);
  }
  const cached = vectors.size;
  if (missing.length > 0 && options.cannotRequest) throw options.cannotRequest;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULTS.embedBatch);
  const maxAttempts = Math.max(1, options.maxAttempts ?? attemptsFor(DEFAULTS.retries));
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const clock = options.clock ?? systemClock;
  const rng = options.rng ?? seededRng(Date.now());
  const timeoutMs = options.timeoutMs ?? provider.timeoutMs ?? DEFAULTS.timeoutMs;
  const signal = options.signal ?? new AbortController().signal;
  const secrets = options.secrets ?? [];
  let requests = 0;

  const fail = (kind: FailureKind, message: string, attempts: number): InputError => {
    const hint = HINTS[kind]?.(provider, model);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    return new InputError(
      redact(`embeddings ${ref}: ${kind.replace('_', ' ')}${tries}: ${message}${hint ? `; ${hint}` : ''}`, secrets),
    );
  };

  const requestBatch = async (batch: readonly string[]): Promise<Float64Array[]> => {
    for (let attempt = 1; ; attempt++) {
      requests++;
      try {
        return await embed(model, batch, { signal, timeoutMs });
      } catch (err) {
        if (signal.aborted) throw err;
        // Over the profile's maxBulkBytes: the adapter's line already names the provider, model and limit.
        if (err instanceof ResponseTooLargeError) throw new InputError(redact(`embeddings ${err.message}`, secrets));
        const e = classify(err);
        if (!e.retryable || attempt >= maxAttempts) throw fail(e.kind, e.message, attempt);
        await clock.sleep(retryDelay(attempt, e.retryAfterMs, backoff, rng), signal);
      }
    }
  };

  const limit = pLimit(
    Math.max(
      1,
      options.concurrency ??
        Math.min(DEFAULTS.embedConcurrency, provider.rateLimit?.maxConcurrency ?? DEFAULTS.embedConcurrency),
    ),
  );
  const batches: string[][] = [];
  for (let i = 0; i < missing.length; i += batchSize) batches.push(missing.slice(i, i + batchSize));
  let dim: number | undefined;
  for (const v of stored.values()) dim ??= v.length;
  // After a failure no new batch starts; the ones in flight finish and are stored before the error is thrown.
  let failure: unknown;
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        if (failure !== undefined) return;
        try {
          const got = await requestBatch(batch);
          if (got.length !== batch.length)
            throw fail('bad_response', `${got.length} vectors for ${batch.length} texts`, 1);
          const entries: EmbeddingEntry[] = batch.map((text, i) => {
            const v = Float64Array.from(Float32Array.from(got[i]!));
            if (v.length === 0 || v.some((x) => !Number.isFinite(x)))
              throw fail('bad_response', 'an empty or non-finite vector', 1);
            dim ??= v.length;
            if (v.length !== dim) throw fail('bad_response', `vectors of ${dim} and ${v.length} dimensions`, 1);
            return { key: keyOf.get(text)!, vector: v };
          });
          cache.putEmbeddings(entries);
          for (const [i, text] of batch.entries()) vectors.set(text, entries[i]!.vector);
          options.onProgress?.(vectors.size, unique.length);
        } catch (err) {
          failure ??= err;
        }
      }),
    ),
  );
  if (failure !== undefined) throw failure;
  return { vectors, texts: unique.length, cached, requests };
}
