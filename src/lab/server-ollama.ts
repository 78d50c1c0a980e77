// The lab server's Ollama routes: /api/generate and /api/chat (NDJSON stream by default, or one JSON object).
import type http from 'node:http';
import type { TokenLogprob } from '../core/types.js';
import { chatPrefix, labComplete } from './provider.js';
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

function ollamaLogprobs(lp: readonly TokenLogprob[]) {
  return lp.map((t) => ({
    token: t.token,
    logprob: t.logprob,
    bytes: bytesOf(t.token),
    top_logprobs: (t.top ?? []).map((a) => ({ token: a.token, logprob: a.logprob, bytes: bytesOf(a.token) })),
  }));
}

export async function ollamaGenerate(
  ctx: LabRouteContext,
  body: Record<string, unknown>,
  chat: boolean,
  res: http.ServerResponse,
): Promise<void> {
  const model = modelName(body.model);
  const o = (body.options ?? {}) as Record<string, unknown>;
  let prompt: string;
  if (chat) prompt = chatPrefix(messagesOf(body.messages));
  else {
    if (typeof body.prompt !== 'string') throw new HttpError(400, 'prompt must be a string');
    // Without raw, a system prompt is prepended as Ollama's template would; lab models have no other template.
    prompt =
      body.raw !== true && typeof body.system === 'string'
        ? chatPrefix([
            { role: 'system', content: body.system },
            { role: 'user', content: body.prompt },
          ])
        : body.prompt;
  }
  const numPredict = num(o.num_predict, 'options.num_predict', 128)!;
  const top = body.logprobs === true ? (num(body.top_logprobs, 'top_logprobs', 0) ?? 0) : undefined;
  const t0 = process.hrtime.bigint();
  const g = await labComplete(ctx.zoo, model, {
    prefix: prompt,
    maxTokens: Math.min(MAX_TOKENS_CAP, numPredict < 0 ? MAX_TOKENS_CAP : numPredict),
    temperature: num(o.temperature, 'options.temperature', 0.8)!,
    ...(o.top_p !== undefined ? { topP: num(o.top_p, 'options.top_p')! } : {}),
    ...(o.top_k !== undefined ? { topK: num(o.top_k, 'options.top_k')! } : {}),
    ...(o.seed !== undefined ? { seed: num(o.seed, 'options.seed')! } : {}),
    ...(stops(o.stop) ? { stop: stops(o.stop)! } : {}),
    ...(top !== undefined ? { logprobs: true, topLogprobs: Math.min(20, top) } : {}),
  });
  const duration = Number(process.hrtime.bigint() - t0);
  const createdAt = new Date().toISOString();
  const stats = {
    done: true,
    done_reason: g.finishReason,
    total_duration: duration,
    load_duration: 0,
    prompt_eval_count: g.promptTokens,
    prompt_eval_duration: 0,
    eval_count: g.completionTokens,
    eval_duration: duration,
  };
  const piece = (text: string) => (chat ? { message: { role: 'assistant', content: text } } : { response: text });
  const lp = g.logprobs ? { logprobs: ollamaLogprobs(g.logprobs) } : {};
  if (body.stream === false) {
    sendJson(res, 200, {
      model: String(body.model),
      created_at: createdAt,
      ...piece(g.text),
      ...lp,
      ...(chat ? {} : { context: [] }),
      ...stats,
    });
    return;
  }
  // Ollama streams by default: NDJSON, one object per token, then a final object with done: true and the stats.
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const tokens = g.logprobs ?? [...g.text].map((c) => ({ token: c, logprob: 0 }));
  tokens.forEach((t, i) => {
    res.write(
      `${JSON.stringify({
        model: String(body.model),
        created_at: createdAt,
        ...piece(t.token),
        ...(g.logprobs ? { logprobs: ollamaLogprobs([g.logprobs[i]!]) } : {}),
        done: false,
      })}\n`,
    );
  });
  res.end(
    `${JSON.stringify({
      model: String(body.model),
      created_at: createdAt,
      ...piece(''),
      ...(chat ? {} : { context: [] }),
      ...stats,
    })}\n`,
  );
}
