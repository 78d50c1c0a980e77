// `phylo lab serve`: the zoo behind an HTTP server on 127.0.0.1 that speaks the OpenAI API (/v1/models,
// /v1/completions, /v1/chat/completions with logprobs) and the Ollama API (/api/tags, /api/generate, /api/chat,
// streaming NDJSON or not), so the zoo can be audited through the official SDKs as a vendor's API would be.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatMessage, TokenLogprob } from '../core/types.js';
import { ProviderCallError } from '../providers/provider.js';
import { chatPrefix, labComplete, ZooModels, zooFingerprint, type LabCompletionInput } from './provider.js';

export interface LabServer {
  readonly url: string;
  readonly port: number;
  /** Requests answered so far, by route (for logs and tests). */
  readonly counts: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 1_000_000;
const MAX_TOKENS_CAP = 4096;

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large');
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'request body is not a JSON object');
  }
}

const num = (v: unknown, field: string, fallback?: number): number | undefined => {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new HttpError(400, `${field} must be a number`);
  return v;
};

function stops(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw new HttpError(400, 'stop must be a string or an array of strings');
}

function messagesOf(v: unknown): ChatMessage[] {
  if (!Array.isArray(v) || v.length === 0) throw new HttpError(400, 'messages must be a non-empty array');
  return v.map((m, i) => {
    const o = m as { role?: unknown; content?: unknown };
    if (typeof o?.content !== 'string') throw new HttpError(400, `messages[${i}].content must be a string`);
    const role = o.role === 'system' || o.role === 'assistant' ? o.role : 'user';
    return { role, content: o.content };
  });
}

function modelName(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new HttpError(400, 'model is required');
  // Ollama clients say NAME:latest; the zoo's names have no tag.
  return v.replace(/:latest$/, '');
}

const bytesOf = (s: string) => [...Buffer.from(s, 'utf8')];

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

function ollamaLogprobs(lp: readonly TokenLogprob[]) {
  return lp.map((t) => ({
    token: t.token,
    logprob: t.logprob,
    bytes: bytesOf(t.token),
    top_logprobs: (t.top ?? []).map((a) => ({ token: a.token, logprob: a.logprob, bytes: bytesOf(a.token) })),
  }));
}

export async function startLabServer(options: {
  zooDir: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}): Promise<LabServer> {
  const zoo = new ZooModels(options.zooDir);
  // What the server says it is (provenance): the zoo's checkpoints, as system_fingerprint and as the Ollama digest.
  const fingerprint = `zoo-${zooFingerprint(options.zooDir)}`;
  const counts: Record<string, number> = {};
  const started = new Date().toISOString();
  let idCounter = 0;

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  async function openAiCompletion(body: Record<string, unknown>, chat: boolean, res: http.ServerResponse) {
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
      gens.push(await labComplete(zoo, model, { ...input, ...(seed !== undefined ? { seed: seed + i } : {}) }));
    const id = `${chat ? 'chatcmpl' : 'cmpl'}-lab${++idCounter}`;
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
    send(res, 200, {
      id,
      object: chat ? 'chat.completion' : 'text_completion',
      created,
      model,
      system_fingerprint: fingerprint,
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

  async function ollamaGenerate(body: Record<string, unknown>, chat: boolean, res: http.ServerResponse) {
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
    const g = await labComplete(zoo, model, {
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
      send(res, 200, {
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

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (method === 'GET' && (p === '/v1/models' || p === '/models')) {
      const names = await zoo.list();
      send(res, 200, {
        object: 'list',
        data: names.map((id) => ({
          id,
          object: 'model',
          created: Math.floor(Date.parse(started) / 1000),
          owned_by: 'llm-phylo-lab',
        })),
      });
      return 'models';
    }
    if (method === 'GET' && p.startsWith('/v1/models/')) {
      const id = decodeURIComponent(p.slice('/v1/models/'.length));
      await zoo.get(id);
      send(res, 200, {
        id,
        object: 'model',
        created: Math.floor(Date.parse(started) / 1000),
        owned_by: 'llm-phylo-lab',
      });
      return 'model';
    }
    if (method === 'POST' && (p === '/v1/completions' || p === '/v1/chat/completions')) {
      await openAiCompletion(await readJson(req), p.endsWith('chat/completions'), res);
      return p.endsWith('chat/completions') ? 'chat.completions' : 'completions';
    }
    if (method === 'GET' && p === '/api/tags') {
      const names = await zoo.list();
      send(res, 200, {
        models: names.map((n) => ({
          name: `${n}:latest`,
          model: `${n}:latest`,
          modified_at: started,
          size: 0,
          digest: fingerprint,
          details: {
            parent_model: '',
            format: 'safetensors',
            family: 'gpt2',
            families: ['gpt2'],
            parameter_size: '',
            quantization_level: 'F16',
          },
        })),
      });
      return 'tags';
    }
    if (method === 'GET' && p === '/api/version') {
      send(res, 200, { version: '0.0.0-llm-phylo-lab' });
      return 'version';
    }
    if (method === 'POST' && (p === '/api/generate' || p === '/api/chat')) {
      await ollamaGenerate(await readJson(req), p === '/api/chat', res);
      return p.slice(5);
    }
    if (method === 'GET' && p === '/') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('llm-phylo lab server is running\n');
      return 'root';
    }
    throw new HttpError(404, `no route ${method} ${p}`);
  }

  const server = http.createServer((req, res) => {
    const ollama = (req.url ?? '').startsWith('/api/');
    route(req, res).then(
      (name) => {
        counts[name] = (counts[name] ?? 0) + 1;
      },
      (err: unknown) => {
        const status =
          err instanceof HttpError
            ? err.status
            : err instanceof ProviderCallError && err.kind === 'not_found'
              ? 404
              : 500;
        const message = err instanceof Error ? err.message : String(err);
        if (status === 500) options.log?.(`lab server: ${message}`);
        if (res.headersSent) {
          res.end();
          return;
        }
        send(
          res,
          status,
          ollama
            ? { error: message }
            : {
                error: {
                  message,
                  type: status === 404 ? 'not_found_error' : 'invalid_request_error',
                  code: status === 404 ? 'model_not_found' : null,
                  param: null,
                },
              },
        );
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
