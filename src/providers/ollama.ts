// Local models through the official `ollama` client: `chat` for chat probes, `generate` with `raw: true` for
// prefixes, logprobs, `list` and `embed`. The client takes no per-request signal for non-streaming calls, so the
// deadline goes in through its `fetch` option; so does the byte cap on an answer (keepalive-fetch.ts): the client
// asks with `stream: false` and reads the body with `response.json()`, which the capped fetch refuses past the cap.
import { Ollama, type ChatResponse, type GenerateResponse, type Options } from 'ollama';
import type { Completion } from '../core/types.js';
import type { Deadline } from './deadline.js';
import { requireKey, type ProviderContext } from './factory.js';
import { CLIENT_VERSIONS } from './client-version.js';
import { keepCutAnswer } from './cut-answer.js';
import { refuseOversized } from './bulk-cap.js';
import { badResponse, type FailureContext } from './failure.js';
import { guardedCall, type SdkErrorReading } from './guarded-call.js';
import { AnswerTooLargeError, createKeepAliveFetch } from './keepalive-fetch.js';
import { toTokenLogprobs } from './logprobs.js';
import { profileBaseURL } from './profile.js';
import { profileFields } from './profile-fields.js';
import type { CallOptions, Capabilities, CompletionRequest, Provider } from './provider.js';
import { type TemperaturePlan, TemperaturePolicy } from './temperature.js';

const DEFAULT_HOST = 'http://127.0.0.1:11434';

const CAPABILITIES: Capabilities = {
  chat: true,
  rawCompletion: true,
  logprobs: true,
  seed: true,
  modelListing: true,
  embeddings: true,
};

/** What the fetch wrapper saw of a failed answer (the client's ResponseError keeps only status and message). */
interface Seen {
  headers?: Headers;
}

/**
 * fetch with the deadline merged in. Error bodies are handed back as JSON `{ error }` because the client prints
 * to the console (stdout) when an error body is not JSON, which would corrupt `--json` output.
 */
function deadlineFetch(transport: typeof fetch, dl: Deadline, seen: Seen): typeof fetch {
  return async (input, init) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, dl.signal]) : dl.signal;
    const res = await transport(input, { ...init, signal });
    if (res.ok) return res;
    seen.headers = res.headers;
    // An error body over the cap is an error still (its first bytes the message), never a cut answer.
    const text = await res.text().catch((err: unknown) => {
      if (err instanceof AnswerTooLargeError) return err.partial;
      throw err;
    });
    let message = text || res.statusText;
    try {
      const body = JSON.parse(text) as { error?: unknown };
      if (typeof body?.error === 'string') message = body.error;
    } catch {
      // not JSON: the text itself is the message
    }
    return new Response(JSON.stringify({ error: message }), {
      status: res.status,
      statusText: res.statusText,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** What the client's errors say: a ResponseError carries the status; the headers come from the fetch wrapper. */
function readError(err: unknown, seen: Seen): SdkErrorReading {
  const status = (err as { status_code?: unknown })?.status_code;
  return typeof status === 'number' ? { http: { status, headers: seen.headers, message: (err as Error).message } } : {};
}

export function createOllamaProvider({ profile, env }: ProviderContext): Provider {
  const apiKey = requireKey(profile, env); // only for a keyed remote host; local Ollama needs none
  const configured = profileBaseURL(profile, env) ?? DEFAULT_HOST;
  const host = configured.includes('://') ? configured.replace(/\/+$/, '') : `http://${configured.replace(/\/+$/, '')}`;
  const headers = apiKey ? { Authorization: `Bearer ${apiKey}` } : undefined;
  const capabilities: Capabilities = { ...CAPABILITIES, ...profile.capabilities };
  const temperatures = new TemperaturePolicy(profile.temperature);
  const context = (label: string, timeoutMs: number): FailureContext => ({
    label,
    baseURL: host,
    timeoutMs,
    secrets: [apiKey],
  });

  // Two keep-alive pools: answers are read up to the profile's maxAnswerBytes; listings and embeddings (which grow
  // with the batch) are not answers: up to maxBulkBytes, past which they are an error (bulk-cap.ts).
  const answerTransport = createKeepAliveFetch({ maxBodyBytes: profile.maxAnswerBytes });
  const bulkTransport = createKeepAliveFetch({ maxBodyBytes: profile.maxBulkBytes });

  /** A client per call: its fetch carries this call's deadline. */
  function guarded<T>(
    label: string,
    options: CallOptions,
    run: (client: Ollama) => Promise<T>,
    transport: typeof fetch = bulkTransport,
  ): Promise<T> {
    const seen: Seen = {};
    return guardedCall(
      context(label, options.timeoutMs),
      options,
      (err) => readError(err, seen),
      (dl) => run(new Ollama({ host, fetch: deadlineFetch(transport, dl, seen), ...(headers ? { headers } : {}) })),
    );
  }

  // An answer over the profile's maxAnswerBytes is kept cut and marked (cut-answer.ts), not lost: its text is the
  // `content` (chat) or `response` (generate) string up to the cut.
  function complete(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    const plan = temperatures.plan(request.model, request.sampling.temperature);
    return keepCutAnswer(completeUncut(request, options, plan), plan.used, ['content', 'response']);
  }

  async function completeUncut(
    request: CompletionRequest,
    options: CallOptions,
    plan: TemperaturePlan,
  ): Promise<Completion> {
    const { model, sampling } = request;
    const label = `${profile.name}:${model}`;
    const ctx = context(label, options.timeoutMs);
    const modelOptions: Partial<Options> = {
      num_predict: sampling.maxTokens,
      ...(plan.send !== undefined ? { temperature: plan.send } : {}),
      ...(sampling.topP !== undefined ? { top_p: sampling.topP } : {}),
      ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
    };
    const top = sampling.topLogprobs;
    const logprobs =
      top !== undefined && capabilities.logprobs ? { logprobs: true, ...(top > 0 ? { top_logprobs: top } : {}) } : {};
    return guarded(
      label,
      options,
      async (client) => {
        let text: unknown;
        let res: ChatResponse | GenerateResponse;
        if (request.kind === 'chat') {
          const chat = await client.chat({
            model,
            messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
            stream: false,
            options: modelOptions,
            ...logprobs,
          });
          res = chat;
          text = chat?.message?.content;
        } else {
          const gen = await client.generate({
            model,
            prompt: request.prefix,
            raw: true,
            stream: false,
            options: modelOptions,
            ...logprobs,
          });
          res = gen;
          text = gen?.response;
        }
        if (typeof text !== 'string') throw badResponse('no text in the answer', ctx);
        const lp = top !== undefined && Array.isArray(res.logprobs) ? toTokenLogprobs(res.logprobs, top) : undefined;
        return {
          text,
          finishReason: res.done_reason || 'stop',
          usage: { inputTokens: res.prompt_eval_count ?? 0, outputTokens: res.eval_count ?? 0 },
          ...(lp ? { logprobs: lp } : {}),
          temperatureUsed: plan.used,
          ...(typeof res.model === 'string' ? { servedModel: res.model } : {}),
          client: CLIENT_VERSIONS.ollama,
          ...(plan.note ? { note: plan.note } : {}),
        };
      },
      answerTransport,
    );
  }

  return {
    ...profileFields(profile, temperatures),
    kind: 'ollama',
    baseURL: host,
    capabilities,
    complete,
    listModels: (options) =>
      guarded(profile.name, options, async (client) => {
        const res = await refuseOversized('model listing', context(profile.name, options.timeoutMs), client.list());
        if (!Array.isArray(res?.models))
          throw badResponse('no model list in the answer', context(profile.name, options.timeoutMs));
        return res.models.map((m) => m.name).sort();
      }),
    // The digest of the model's weights, from the listing (an answer carries none): a re-pulled tag shows up here.
    describeModel: (model, options) =>
      guarded(profile.name, options, async (client) => {
        const res = await refuseOversized('model listing', context(profile.name, options.timeoutMs), client.list());
        const wanted = model.includes(':') ? model : `${model}:latest`;
        const hit = (Array.isArray(res?.models) ? res.models : []).find(
          (m) => m.name === model || m.name === wanted || m.model === model || m.model === wanted,
        );
        return typeof hit?.digest === 'string' && hit.digest ? { fingerprint: `sha256:${hit.digest}` } : {};
      }),
    embed: (model, texts, options) =>
      guarded(`${profile.name}:${model}`, options, async (client) => {
        const res = await refuseOversized(
          'embeddings response',
          context(`${profile.name}:${model}`, options.timeoutMs),
          client.embed({ model, input: [...texts] }),
        );
        if (!Array.isArray(res?.embeddings) || res.embeddings.length !== texts.length) {
          throw badResponse(
            `expected ${texts.length} embeddings`,
            context(`${profile.name}:${model}`, options.timeoutMs),
          );
        }
        return res.embeddings.map((e) => Float64Array.from(e));
      }),
  };
}
