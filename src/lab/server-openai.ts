// The lab server's OpenAI routes: /v1/completions and /v1/chat/completions (JSON or server-sent events, logprobs
// in the OpenAI shapes).
import type http from 'node:http';
import type { TokenLogprob } from '../core/types.js';
import { chatPrefix, labComplete, type LabCompletionInput } from './provider.js';
import {
  bytesOf,
  HttpError,
  type LabRouteContext,
  MAX_TOKENS_CAP,
  messagesOf,
  modelName,
  num,
  sendJson,
  stops,
} from './server-request.js';

function openAiChatLogprobs(lp: readonly TokenLogprob[]) {
  return {
    content: lp.map((t) => ({
      token: t.token,
      logprob: t.logprob,
      bytes: bytesOf(t.token),
      top_logprobs: (t.top ?? []).map((a) => ({ token: a.token, logprob: a.logprob, bytes: bytesOf(a.token) })),
    })),
    refusal: null,
  };
}

function openAiCompletionLogprobs(lp: readonly TokenLogprob[], prefixLength: number) {
  let offset = prefixLength;
  const text_offset: number[] = [];
  for (const t of lp) {
    text_offset.push(offset);
    offset += t.token.length;
  }
  return {
    tokens: lp.map((t) => t.token),
    token_logprobs: lp.map((t) => t.logprob),
    top_logprobs: lp.map((t) => Object.fromEntries((t.top ?? []).map((a) => [a.token, a.logprob]))),
    text_offset,
  };
}

export async function openAiCompletion(
  ctx: LabRouteContext,
  body: Record<string, unknown>,
  chat: boolean,
  res: http.ServerResponse,
): Promise<void> {
  const model = modelName(body.model);
  const n = num(body.n, 'n', 1)!;
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new HttpError(400, 'n must be an integer from 1 to 16');
  const prompt = chat
    ? chatPrefix(messagesOf(body.messages))
    : typeof body.prompt === 'string'
      ? body.prompt
      : Array.isArray(body.prompt) && typeof body.prompt[0] === 'string'
        ? (body.prompt[0] as string)
        : undefined;
  if (prompt === undefined) throw new HttpError(400, 'prompt must be a string');
  const maxTokens = Math.min(MAX_TOKENS_CAP, num(body.max_completion_tokens ?? body.max_tokens, 'max_tokens', 16)!);
  const topLogprobs = chat
    ? body.logprobs === true
      ? (num(body.top_logprobs, 'top_logprobs', 0) ?? 0)
      : undefined
    : num(body.logprobs, 'logprobs');
  const seed = num(body.seed, 'seed');
  const input: LabCompletionInput = {
    prefix: prompt,
    maxTokens,
    temperature: num(body.temperature, 'temperature', 1)!,
    ...(body.top_p !== undefined ? { topP: num(body.top_p, 'top_p')! } : {}),
    ...(stops(body.stop) ? { stop: stops(body.stop)! } : {}),
    ...(topLogprobs !== undefined ? { logprobs: true, topLogprobs: Math.min(20, topLogprobs) } : {}),
  };
  const gens = [];
  for (let i = 0; i < n; i++)
    gens.push(await labComplete(ctx.zoo, model, { ...input, ...(seed !== undefined ? { seed: seed + i } : {}) }));
  const id = `${chat ? 'chatcmpl' : 'cmpl'}-lab${ctx.nextId()}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = {
    prompt_tokens: gens[0]!.promptTokens,
    completion_tokens: gens.reduce((a, g) => a + g.completionTokens, 0),
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  if (body.stream === true) {
    // Server-sent events as the OpenAI SDK reads them: one chunk with the text, one with the finish reason.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    gens.forEach((g, index) => {
      const delta = chat
        ? {
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: [
              {
                index,
                delta: { role: 'assistant', content: g.text },
                finish_reason: null,
                logprobs: g.logprobs ? openAiChatLogprobs(g.logprobs) : null,
              },
            ],
          }
        : {
            id,
            object: 'text_completion',
            created,
            model,
            choices: [
              {
                index,
                text: g.text,
                finish_reason: null,
                logprobs: g.logprobs ? openAiCompletionLogprobs(g.logprobs, prompt.length) : null,
              },
            ],
          };
      res.write(`data: ${JSON.stringify(delta)}\n\n`);
      const end = chat
        ? {
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: [{ index, delta: {}, finish_reason: g.finishReason }],
          }
        : {
            id,
            object: 'text_completion',
            created,
            model,
            choices: [{ index, text: '', finish_reason: g.finishReason }],
          };
      res.write(`data: ${JSON.stringify(end)}\n\n`);
    });
    res.end('data: [DONE]\n\n');
    return;
  }
  sendJson(res, 200, {
    id,
    object: chat ? 'chat.completion' : 'text_completion',
    created,
    model,
    system_fingerprint: ctx.fingerprint,
    choices: gens.map((g, index) =>
      chat
        ? {
            index,
            message: { role: 'assistant', content: g.text, refusal: null },
            finish_reason: g.finishReason,
            logprobs: g.logprobs ? openAiChatLogprobs(g.logprobs) : null,
          }
        : {
            index,
            text: g.text,
            finish_reason: g.finishReason,
            logprobs: g.logprobs ? openAiCompletionLogprobs(g.logprobs, prompt.length) : null,
          },
    ),
    usage,
  });
}
