// Anthropic through the official `@anthropic-ai/sdk`: the Messages API (system messages go in `system`), model
// listing. No logprobs, no seed, no raw prefixes. Models that accept only the default temperature are sampled at it
// and the Completion says so.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { Completion } from '../core/types.js';
import { requireKey, type ProviderContext } from './factory.js';
import { badResponse, unsupported, type FailureContext } from './failure.js';
import { CLIENT_VERSIONS } from './client-version.js';
import { guardedCall, type SdkErrorReading } from './guarded-call.js';
import { profileBaseURL } from './profile.js';
import { profileFields } from './profile-fields.js';
import type { CallOptions, Capabilities, CompletionRequest, Provider } from './provider.js';
import { TemperaturePolicy, refusesTemperature, withTemperatureFallback } from './temperature.js';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

const CAPABILITIES: Capabilities = {
  chat: true,
  rawCompletion: false,
  logprobs: false,
  seed: false,
  modelListing: true,
  embeddings: false,
};

function serverMessage(err: APIError): string {
  return err.apiMessage ?? err.message;
}

/** What the Anthropic SDK's errors say: its timeout and connection classes, the HTTP status and the server's words. */
function readError(err: unknown): SdkErrorReading {
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
  // Retries are the scheduler's job (src/collect): SDK retries would multiply them.
  const client = new Anthropic({
    apiKey: apiKey ?? 'no-key-needed',
    baseURL,
    maxRetries: 0,
    timeout: profile.timeoutMs,
  });
  const capabilities: Capabilities = { ...CAPABILITIES, ...profile.capabilities };
  const temperatures = new TemperaturePolicy(profile.temperature);
  const context = (label: string, timeoutMs: number): FailureContext => ({
    label,
    baseURL,
    timeoutMs,
    secrets: [apiKey],
  });

  const guarded = <T>(
    label: string,
    options: CallOptions,
    run: (requestOptions: { signal: AbortSignal; timeout: number; maxRetries: number }) => Promise<T>,
  ): Promise<T> =>
    guardedCall(context(label, options.timeoutMs), options, readError, (dl) =>
      run({ signal: dl.signal, timeout: options.timeoutMs, maxRetries: 0 }),
    );

  async function complete(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    const { model, sampling } = request;
    const label = `${profile.name}:${model}`;
    const ctx = context(label, options.timeoutMs);
    if (request.kind === 'prefix')
      throw unsupported('the Messages API cannot continue a raw prefix; use a chat probe', ctx);
    const system = request.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n');
    const messages = request.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
    return guarded(label, options, async (requestOptions) => {
      const { result, plan } = await withTemperatureFallback(
        temperatures,
        model,
        sampling.temperature,
        (plan) =>
          client.messages.create(
            {
              model,
              max_tokens: sampling.maxTokens,
              messages,
              ...(system ? { system } : {}),
              ...(plan.send !== undefined ? { temperature: plan.send } : {}),
              ...(sampling.topP !== undefined ? { top_p: sampling.topP } : {}),
            },
            requestOptions,
          ),
        temperatureRefused,
      );
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
    });
  }

  return {
    ...profileFields(profile, temperatures),
    kind: 'anthropic',
    baseURL,
    capabilities,
    complete,
    listModels: (options) =>
      guarded(profile.name, options, async (requestOptions) => {
        const ids: string[] = [];
        for await (const model of client.models.list({ limit: 100 }, requestOptions)) ids.push(model.id);
        return ids.sort();
      }),
  };
}
