// Anthropic through the official `@anthropic-ai/sdk`: the Messages API (system messages go in `system`), model
// listing. No logprobs, no seed, no raw prefixes. Models that accept only the default temperature are sampled at it
// and the Completion says so.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { Completion } from '../core/types.js';
import { ANTHROPIC_BATCH_MAX_REQUESTS, createAnthropicBatchApi } from './anthropic-batch.js';
import { requireKey, type ProviderContext } from './factory.js';
import { badResponse, timeoutFailure, unsupported, type FailureContext } from './failure.js';
import { CLIENT_VERSIONS } from './client-version.js';
import { keepCutAnswer } from './cut-answer.js';
import { listedIds } from './bulk-cap.js';
import { guardedCall, type SdkErrorReading } from './guarded-call.js';
import { createKeepAliveFetch } from './keepalive-fetch.js';
import { profileBaseURL } from './profile.js';
import { watchRateLimits } from './rate-limit-headers.js';
import { profileFields } from './profile-fields.js';
import type { CallOptions, Capabilities, CompletionRequest, Provider } from './provider.js';
import { type TemperaturePlan, TemperaturePolicy, refusesTemperature, withTemperatureFallback } from './temperature.js';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

const CAPABILITIES: Capabilities = {
  chat: true,
  rawCompletion: false,
  logprobs: false,
  seed: false,
  modelListing: true,
  embeddings: false,
};

export function serverMessage(err: APIError): string {
  return err.apiMessage ?? err.message;
}

/** What the Anthropic SDK's errors say: its timeout and connection classes, the HTTP status and the server's words. */
export function readAnthropicError(err: unknown): SdkErrorReading {
  if (err instanceof APIConnectionTimeoutError) return { timeout: true };
  if (err instanceof APIError && typeof err.status === 'number')
    return { http: { status: err.status, headers: err.headers, message: serverMessage(err) } };
  return { connection: err instanceof APIConnectionError };
}

const temperatureRefused = (err: unknown): boolean =>
  err instanceof APIError && refusesTemperature(err.status, serverMessage(err));

export function createAnthropicProvider({ profile, env }: ProviderContext): Provider {
  const apiKey = requireKey(profile, env);
  const baseURL = profileBaseURL(profile, env) ?? DEFAULT_BASE_URL;
  // Retries are the scheduler's job (src/collect): SDK retries would multiply them. The transport is node:http with a
  // keep-alive pool (keepalive-fetch.ts) that reads at most the profile's maxAnswerBytes of an answer.
  // The answers' rate-limit headers (anthropic-ratelimit-*) are read off as they pass, for the scheduler's limiter.
  const limits = watchRateLimits(createKeepAliveFetch({ maxBodyBytes: profile.maxAnswerBytes }));
  const client = new Anthropic({
    apiKey: apiKey ?? 'no-key-needed',
    baseURL,
    maxRetries: 0,
    timeout: profile.timeoutMs,
    fetch: limits.fetch,
  });
  const clientWith = (fetchFn: typeof fetch): Anthropic =>
    new Anthropic({
      apiKey: apiKey ?? 'no-key-needed',
      baseURL,
      maxRetries: 0,
      timeout: profile.timeoutMs,
      fetch: fetchFn,
    });
  // A listing is not an answer: a page over maxBulkBytes is an error (bulk-cap.ts), never parsed cut.
  const listingClient = clientWith(createKeepAliveFetch({ maxBodyBytes: profile.maxBulkBytes }));
  // A batch results file holds every answer of a batch and is read as a stream: no cap, and Node's own fetch, which
  // streams a body instead of buffering it.
  const bulkClient = clientWith((input, init) => fetch(input, init));
  const capabilities: Capabilities = { ...CAPABILITIES, ...profile.capabilities };
  const temperatures = new TemperaturePolicy(profile.temperature);
  const context = (label: string, timeoutMs: number): FailureContext => ({
    label,
    baseURL,
    timeoutMs,
    secrets: [apiKey],
  });

  // As for OpenAI, the SDK's own per-request timeout is the deadline (guarded-call.ts, 'sdk' mode).
  const guarded = <T>(
    label: string,
    options: CallOptions,
    run: (requestOptions: () => { signal: AbortSignal; timeout: number; maxRetries: number }) => Promise<T>,
  ): Promise<T> => {
    const ctx = context(label, options.timeoutMs);
    return guardedCall(
      ctx,
      options,
      readAnthropicError,
      (dl) =>
        run(() => {
          if (dl.left() < 1) throw timeoutFailure(ctx);
          return { signal: dl.signal, timeout: dl.left(), maxRetries: 0 };
        }),
      'sdk',
    );
  };

  // An answer over the profile's maxAnswerBytes is kept cut and marked (cut-answer.ts), not lost.
  function complete(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    return keepCutAnswer(completeUncut(request, options), request.sampling.temperature);
  }

  async function completeUncut(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    const { model, sampling } = request;
    const label = `${profile.name}:${model}`;
    const ctx = context(label, options.timeoutMs);
    if (request.kind === 'prefix')
      throw unsupported('the Messages API cannot continue a raw prefix; use a chat probe', ctx);
    return guarded(label, options, async (requestOptions) => {
      const { result, plan } = await withTemperatureFallback(
        temperatures,
        model,
        sampling.temperature,
        (plan) => client.messages.create(anthropicMessageParams(request, plan.send), requestOptions()),
        temperatureRefused,
      );
      return messageToCompletion(result, plan, ctx);
    });
  }

  return {
    ...profileFields(profile, temperatures),
    kind: 'anthropic',
    serverLimits: limits.latest,
    baseURL,
    capabilities,
    complete,
    listModels: (options) =>
      guarded(profile.name, options, (requestOptions) =>
        listedIds(
          listingClient.models.list({ limit: 100 }, requestOptions()),
          profile.maxBulkBytes,
          context(profile.name, options.timeoutMs),
        ),
      ),
    batch: createAnthropicBatchApi({
      client: bulkClient,
      profileName: profile.name,
      temperatures,
      context,
      priceFactor: profile.batch.priceFactor,
      maxRequests: Math.min(profile.batch.maxRequests ?? ANTHROPIC_BATCH_MAX_REQUESTS, ANTHROPIC_BATCH_MAX_REQUESTS),
    }),
  };
}

/** The Messages API body of a chat request (system messages go in `system`), for a call or a batch line. */
export function anthropicMessageParams(
  request: CompletionRequest & { kind: 'chat' },
  temperature: number | undefined,
): Anthropic.MessageCreateParamsNonStreaming {
  const { model, sampling } = request;
  const system = request.messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n\n');
  const messages = request.messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
  return {
    model,
    max_tokens: sampling.maxTokens,
    messages,
    ...(system ? { system } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(sampling.topP !== undefined ? { top_p: sampling.topP } : {}),
  };
}

/** A Message as a Completion; a body without content is a malformed response. */
export function messageToCompletion(
  result: Anthropic.Message | undefined,
  plan: TemperaturePlan,
  ctx: FailureContext,
): Completion {
  if (!result || typeof result !== 'object' || !Array.isArray(result.content))
    throw badResponse('no content in the answer', ctx);
  const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  return {
    text,
    finishReason: result.stop_reason ?? 'unknown',
    usage: { inputTokens: result.usage?.input_tokens ?? 0, outputTokens: result.usage?.output_tokens ?? 0 },
    temperatureUsed: plan.used,
    ...(typeof result.model === 'string' ? { servedModel: result.model } : {}),
    client: CLIENT_VERSIONS.anthropic,
    ...(plan.note ? { note: plan.note } : {}),
  };
}
