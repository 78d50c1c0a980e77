// OpenAI and every OpenAI-compatible server (vLLM, llama.cpp, Together, OpenRouter...) through the official `openai`
// SDK: chat completions, raw completions for prefix probes, logprobs, seed, model listing, embeddings.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { Completion, TokenLogprob } from '../core/types.js';
import { requireKey, type ProviderContext } from './factory.js';
import { CLIENT_VERSIONS } from './client-version.js';
import { keepCutAnswer } from './cut-answer.js';
import { listedIds, refuseOversized } from './bulk-cap.js';
import { createKeepAliveFetch } from './keepalive-fetch.js';
import { watchRateLimits } from './rate-limit-headers.js';
import { badResponse, timeoutFailure, unsupported, type FailureContext } from './failure.js';
import { guardedCall, type SdkErrorReading } from './guarded-call.js';
import { createOpenAIBatchApi, OPENAI_BATCH_MAX_REQUESTS } from './openai-batch.js';
import { openAIAccount, resolveHeaders } from './profile-headers.js';
import { priceFor, profileBaseURL } from './profile.js';
import type { CallOptions, Capabilities, CompletionRequest, Provider } from './provider.js';
import { TemperaturePolicy, refusesTemperature, withTemperatureFallback } from './temperature.js';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** The legacy completions endpoint returns at most this many alternatives per token. */
const MAX_COMPLETION_LOGPROBS = 5;

const CAPABILITIES: Capabilities = {
  chat: true,
  rawCompletion: true,
  logprobs: true,
  seed: true,
  modelListing: true,
  embeddings: true,
};

/** The server's own words: the `error.message` of the body, else the SDK's message. */
function serverMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : err.message;
}

/** What the OpenAI SDK's errors say: its timeout and connection classes, the HTTP status and the server's words. */
export function readOpenAIError(err: unknown): SdkErrorReading {
  if (err instanceof APIConnectionTimeoutError) return { timeout: true };
  if (err instanceof APIError && typeof err.status === 'number')
    return { http: { status: err.status, headers: err.headers, message: serverMessage(err) } };
  return { connection: err instanceof APIConnectionError };
}

const temperatureRefused = (err: unknown): boolean =>
  err instanceof APIError && refusesTemperature(err.status, serverMessage(err));

export function createOpenAIProvider({ profile, env }: ProviderContext): Provider {
  const apiKey = requireKey(profile, env);
  // OPENAI_ORG_ID / OPENAI_PROJECT_ID (named by the profile) and the profile's extra headers (profile-headers.ts).
  const account = openAIAccount(profile, env);
  const extraHeaders = resolveHeaders(profile.headers, env);
  const baseURL = profileBaseURL(profile, env) ?? DEFAULT_BASE_URL;
  // Retries are the scheduler's job (src/collect): SDK retries would multiply them. The transport is node:http with a
  // keep-alive pool per client (keepalive-fetch.ts): Node's built-in fetch costs several times its CPU per request.
  const clientWith = (fetch: typeof globalThis.fetch): OpenAI =>
    new OpenAI({
      apiKey: apiKey ?? 'no-key-needed',
      baseURL,
      maxRetries: 0,
      timeout: profile.timeoutMs,
      ...account,
      defaultHeaders: extraHeaders.headers,
      fetch,
    });
  // Answers are read up to maxAnswerBytes (cut-answer.ts), and their rate-limit headers (x-ratelimit-*) are read off
  // as they pass, for the scheduler's limiter.
  const limits = watchRateLimits(createKeepAliveFetch({ maxBodyBytes: profile.maxAnswerBytes }));
  const client = clientWith(limits.fetch);
  // Listings and embeddings are not answers: their bodies grow with the batch (64 x 3,072 floats is megabytes), so
  // they have a cap of their own (maxBulkBytes), past which they are an error (bulk-cap.ts), never parsed cut. Batch
  // files hold every answer of a batch: no cap.
  const bulkClient = clientWith(createKeepAliveFetch({ maxBodyBytes: profile.maxBulkBytes }));
  const batchClient = clientWith(createKeepAliveFetch());
  const capabilities: Capabilities = { ...CAPABILITIES, ...profile.capabilities };
  const temperatures = new TemperaturePolicy(profile.temperature);
  const context = (label: string, timeoutMs: number): FailureContext => ({
    label,
    baseURL,
    timeoutMs,
    secrets: [apiKey, ...extraHeaders.secrets],
  });

  // The per-call deadline is the SDK's own timeout, given what is left of it at each request (a temperature fallback
  // makes two): with the keep-alive transport a request settles only once its whole body is read, so the SDK's timer
  // covers the full exchange, and a separate deadline signal (two more AbortSignals per call) would only repeat it.
  function guarded<T>(
    label: string,
    options: CallOptions,
    run: (requestOptions: () => OpenAI.RequestOptions) => Promise<T>,
  ): Promise<T> {
    const ctx = context(label, options.timeoutMs);
    return guardedCall(
      ctx,
      options,
      readOpenAIError,
      (dl) =>
        run(() => {
          const left = dl.left();
          if (left < 1) throw timeoutFailure(ctx);
          return { signal: dl.signal, timeout: left, maxRetries: 0 };
        }),
      'sdk',
    );
  }

  // An answer over the profile's maxAnswerBytes is kept cut and marked (cut-answer.ts), not lost.
  function complete(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    return keepCutAnswer(completeUncut(request, options), request.sampling.temperature);
  }

  async function completeUncut(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    const { model, sampling } = request;
    const label = `${profile.name}:${model}`;
    const ctx = context(label, options.timeoutMs);
    if (request.kind === 'prefix' && !capabilities.rawCompletion)
      throw unsupported(`${profile.name} has no raw completions endpoint for prefix probes`, ctx);
    if (request.kind === 'chat' && !capabilities.chat) throw unsupported(`${profile.name} has no chat endpoint`, ctx);
    const wantLogprobs = sampling.topLogprobs !== undefined && capabilities.logprobs;
    return guarded(label, options, async (requestOptions) => {
      const { result, plan } = await withTemperatureFallback(
        temperatures,
        model,
        sampling.temperature,
        async (plan) => {
          const call = openAIRequestBody(request, plan.send, profile.maxTokensField, capabilities);
          return call.url === '/v1/chat/completions'
            ? client.chat.completions.create(call.body, requestOptions())
            : client.completions.create(call.body, requestOptions());
        },
        temperatureRefused,
      );
      return toCompletion(result, plan.used, plan.note, wantLogprobs ? (sampling.topLogprobs ?? 0) : undefined, ctx);
    });
  }

  return {
    name: profile.name,
    kind: 'openai',
    baseURL,
    capabilities,
    rateLimit: profile.rateLimit,
    timeoutMs: profile.timeoutMs,
    defaults: profile.defaults,
    temperatureRule: (model) => temperatures.rule(model),
    complete,
    listModels: (options) =>
      guarded(profile.name, options, (requestOptions) =>
        listedIds(
          bulkClient.models.list(requestOptions()),
          profile.maxBulkBytes,
          context(profile.name, options.timeoutMs),
        ),
      ),
    embed: (model, texts, options) =>
      guarded(`${profile.name}:${model}`, options, async (requestOptions) => {
        const res = await refuseOversized(
          'embeddings response',
          context(`${profile.name}:${model}`, options.timeoutMs),
          bulkClient.embeddings.create({ model, input: [...texts], encoding_format: 'float' }, requestOptions()),
        );
        const data = Array.isArray(res?.data) ? [...res.data].sort((a, b) => a.index - b.index) : [];
        if (data.length !== texts.length || data.some((d) => !Array.isArray(d.embedding))) {
          throw badResponse(
            `expected ${texts.length} embeddings, got ${data.length}`,
            context(`${profile.name}:${model}`, options.timeoutMs),
          );
        }
        return data.map((d) => Float64Array.from(d.embedding));
      }),
    price: (model) => priceFor(profile, model),
    serverLimits: limits.latest,
    // Batch files are bulk too (an output file holds every answer of the batch).
    batch: createOpenAIBatchApi({
      client: batchClient,
      profileName: profile.name,
      maxTokensField: profile.maxTokensField,
      capabilities,
      temperatures,
      context,
      priceFactor: profile.batch.priceFactor,
      maxRequests: Math.min(profile.batch.maxRequests ?? OPENAI_BATCH_MAX_REQUESTS, OPENAI_BATCH_MAX_REQUESTS),
    }),
  };
}

type ChatResult = OpenAI.Chat.ChatCompletion;
type TextResult = OpenAI.Completions.Completion;

/** The endpoint and body of one request, the same for an interactive call and a line of a batch file. */
export type OpenAIRequestBody =
  | {
      readonly url: '/v1/chat/completions';
      readonly body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    }
  | { readonly url: '/v1/completions'; readonly body: OpenAI.Completions.CompletionCreateParamsNonStreaming };

export function openAIRequestBody(
  request: CompletionRequest,
  temperature: number | undefined,
  maxTokensField: 'max_tokens' | 'max_completion_tokens',
  capabilities: Capabilities,
): OpenAIRequestBody {
  const { model, sampling } = request;
  const wantLogprobs = sampling.topLogprobs !== undefined && capabilities.logprobs;
  const common = {
    model,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(sampling.topP !== undefined ? { top_p: sampling.topP } : {}),
    ...(sampling.seed !== undefined && capabilities.seed ? { seed: sampling.seed } : {}),
  };
  if (request.kind === 'chat') {
    const top = sampling.topLogprobs ?? 0;
    return {
      url: '/v1/chat/completions',
      body: {
        ...common,
        [maxTokensField]: sampling.maxTokens,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        ...(wantLogprobs ? { logprobs: true, ...(top > 0 ? { top_logprobs: top } : {}) } : {}),
      },
    };
  }
  return {
    url: '/v1/completions',
    body: {
      ...common,
      prompt: request.prefix,
      max_tokens: sampling.maxTokens,
      ...(wantLogprobs ? { logprobs: Math.min(MAX_COMPLETION_LOGPROBS, sampling.topLogprobs ?? 0) } : {}),
    },
  };
}

export function toCompletion(
  res: ChatResult | TextResult,
  temperatureUsed: number,
  note: string | undefined,
  top: number | undefined,
  ctx: FailureContext,
): Completion {
  const choice = res && typeof res === 'object' && Array.isArray(res.choices) ? res.choices[0] : undefined;
  if (!choice) throw badResponse('no choices in the answer', ctx);
  let text: string;
  let logprobs: TokenLogprob[] | undefined;
  if ('message' in choice) {
    text = choice.message?.content ?? choice.message?.refusal ?? '';
    if (top !== undefined && choice.logprobs?.content) {
      logprobs = choice.logprobs.content.map((t) => ({
        token: t.token,
        logprob: t.logprob,
        ...(top > 0 ? { top: (t.top_logprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })) } : {}),
      }));
    }
  } else {
    text = typeof choice.text === 'string' ? choice.text : '';
    const lp = choice.logprobs;
    if (top !== undefined && lp?.tokens && lp.token_logprobs) {
      logprobs = lp.tokens.map((token, i) => {
        const alternatives = Object.entries(lp.top_logprobs?.[i] ?? {})
          .map(([t, logprob]) => ({ token: t, logprob }))
          .sort((a, b) => b.logprob - a.logprob);
        return {
          token,
          logprob: lp.token_logprobs![i] ?? Number.NEGATIVE_INFINITY,
          ...(top > 0 ? { top: alternatives } : {}),
        };
      });
    }
  }
  return {
    text,
    finishReason: choice.finish_reason ?? 'unknown',
    usage: { inputTokens: res.usage?.prompt_tokens ?? 0, outputTokens: res.usage?.completion_tokens ?? 0 },
    ...(logprobs ? { logprobs } : {}),
    temperatureUsed,
    ...(typeof res.model === 'string' ? { servedModel: res.model } : {}),
    ...(typeof res.system_fingerprint === 'string' && res.system_fingerprint
      ? { fingerprint: res.system_fingerprint }
      : {}),
    client: CLIENT_VERSIONS.openai,
    ...(note ? { note } : {}),
  };
}
