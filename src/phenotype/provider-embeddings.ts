// Provider embeddings of response texts (OpenAI /v1/embeddings, Ollama /api/embed) as the embed signal's vectors, in
// place of TF-IDF. Each distinct text is embedded once, in batches, and cached in the store under a key of (provider
// kind, base URL, model, text), never a secret, so re-analysing a run makes no request.
//
//   const { vectors } = await embedTexts(provider, 'text-embedding-3-small', distinctTexts(table), store);
//   const emb = providerProbeEmbeddings(table, vectors, 'openai:text-embedding-3-small');   // then cosineStack(emb)
import pLimit from 'p-limit';
import {
  DEFAULT_BACKOFF,
  classify,
  redact,
  retryDelay,
  systemClock,
  type BackoffPolicy,
  type Clock,
} from '../collect/index.js';
import { InputError } from '../core/errors.js';
import { seededRng, type Rng } from '../core/random.js';
import type { FailureKind } from '../core/types.js';
import type { Provider } from '../providers/provider.js';
import type { EmbeddingCache, EmbeddingEntry } from '../store/api.js';
import { embeddingCacheKey } from '../store/cache-key.js';
import { cellOf, type ResponseTable } from './responses.js';
import type { ProbeEmbeddings, SparseVector } from './tfidf.js';

/** Texts per request: well under OpenAI's 2048 inputs and its per-request token budget for typical responses. */
export const EMBED_BATCH_SIZE = 64;

/** The vectors of a run's texts, named after what made them (e.g. `openai:text-embedding-3-small`). */
export interface TextEmbeddings {
  readonly name: string;
  /** By text; blank texts are never embedded and are absent. */
  readonly vectors: ReadonlyMap<string, Float64Array>;
}

export interface EmbedTextsOptions {
  readonly batchSize?: number;
  /** Requests in flight at once; default the provider's profile limit, at most 4. */
  readonly concurrency?: number;
  /** Attempts per batch including the first; default 5, as collection. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly clock?: Clock;
  readonly rng?: Rng;
  /** Per request; default the provider's profile timeout, else 60 s. */
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

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** The distinct non-blank texts of a table, in table order: what has to be embedded. */
export function distinctTexts(table: ResponseTable): string[] {
  const seen = new Set<string>();
  for (const cell of table.cells) for (const t of cell) if (!isBlank(t)) seen.add(t);
  return [...seen];
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
      `embeddings ${ref}: provider ${provider.name} has no embeddings endpoint; use e.g. openai:text-embedding-3-small or ollama:nomic-embed-text`,
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
  const batchSize = Math.max(1, options.batchSize ?? EMBED_BATCH_SIZE);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const clock = options.clock ?? systemClock;
  const rng = options.rng ?? seededRng(Date.now());
  const timeoutMs = options.timeoutMs ?? provider.timeoutMs ?? 60_000;
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
        const e = classify(err);
        if (!e.retryable || attempt >= maxAttempts) throw fail(e.kind, e.message, attempt);
        await clock.sleep(retryDelay(attempt, e.retryAfterMs, backoff, rng), signal);
      }
    }
  };

  const limit = pLimit(Math.max(1, options.concurrency ?? Math.min(4, provider.rateLimit?.maxConcurrency ?? 4)));
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
          batch.forEach((text, i) => vectors.set(text, entries[i]!.vector));
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

/**
 * The per-probe embeddings the embed signal compares, from provider vectors: a cell's samples are each scaled to
 * unit length and averaged (as TF-IDF pools a cell's samples into one document), then the mean is L2-normalised.
 * A blank answer is the zero vector (empty), at distance 1 from any other answer, as with TF-IDF. Dense vectors are
 * stored as sparse ones over every dimension, so cosineStack and everything after it are unchanged.
 */
export function providerProbeEmbeddings(
  table: ResponseTable,
  vectors: ReadonlyMap<string, Float64Array>,
  name: string,
): ProbeEmbeddings {
  const n = table.models.length;
  let dim: number | undefined;
  for (const v of vectors.values()) {
    dim ??= v.length;
    if (v.length !== dim)
      throw new InputError(
        `embeddings ${name}: cached vectors have ${dim} and ${v.length} dimensions (did the model change under the same name?); use another --results folder`,
      );
  }
  const d = dim ?? 0;
  const all = Int32Array.from({ length: d }, (_, i) => i);
  const empty: SparseVector = { indices: new Int32Array(0), values: new Float64Array(0) };
  const out: (SparseVector | undefined)[] = new Array(table.probes.length * n);
  for (let p = 0; p < table.probes.length; p++) {
    for (let m = 0; m < n; m++) {
      const texts = cellOf(table, p, m);
      if (texts.length === 0) continue;
      const sum = new Float64Array(d);
      for (const t of texts) {
        if (isBlank(t)) continue;
        const v = vectors.get(t);
        if (!v)
          throw new Error(
            `providerProbeEmbeddings: no vector for a response of ${table.models[m]} to ${table.probes[p]!.id}`,
          );
        let norm = 0;
        for (let i = 0; i < d; i++) norm += v[i]! * v[i]!;
        norm = Math.sqrt(norm);
        if (norm > 0) for (let i = 0; i < d; i++) sum[i]! += v[i]! / norm;
      }
      let norm = 0;
      for (let i = 0; i < d; i++) norm += sum[i]! * sum[i]!;
      norm = Math.sqrt(norm);
      if (norm === 0) {
        out[p * n + m] = empty;
        continue;
      }
      for (let i = 0; i < d; i++) sum[i]! /= norm;
      out[p * n + m] = { indices: all, values: sum };
    }
  }
  return {
    models: table.models,
    probes: table.probes.map((q) => String(q.id)),
    vectors: out,
    dims: new Int32Array(table.probes.length).fill(d),
    name,
  };
}
