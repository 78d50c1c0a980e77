// A local server speaking the Anthropic Messages wire format: POST /v1/messages, GET /v1/models (paged).
import {
  asRecord,
  contentText,
  generate,
  lastUserMessage,
  num,
  rejectsTemperature,
  startServer,
  type ServerOptions,
  type TestServer,
} from './common.js';
import { anthropicHuge } from './huge-answer.js';

const errorType = (status: number): string =>
  ({
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    429: 'rate_limit_error',
    529: 'overloaded_error',
  })[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');

const errorBody = (status: number, message: string) => ({ type: 'error', error: { type: errorType(status), message } });

/** Start an Anthropic-protocol server; give its `url` to `new Anthropic({ baseURL })`. */
export function startAnthropicServer(options: ServerOptions = {}): Promise<TestServer> {
  const models = options.models ?? ['test-model'];
  return startServer(
    options,
    (origin) => origin,
    errorBody,
    (req, reply) => {
      if (req.method === 'GET' && req.path === '/v1/models') {
        // Paged as the API pages: `limit` models (default 20, at most 1000) after `after_id`.
        const query = new URLSearchParams(req.query);
        const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 20) || 20));
        const after = query.get('after_id');
        const start = after === null ? 0 : models.indexOf(after) + 1;
        const page = models.slice(start, start + limit);
        const data = page.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
        reply.json(200, {
          data,
          has_more: start + limit < models.length,
          first_id: page[0] ?? null,
          last_id: page[page.length - 1] ?? null,
        });
        return;
      }
      if (req.method !== 'POST' || req.path !== '/v1/messages') {
        reply.json(404, errorBody(404, `Not found: ${req.method} ${req.path}`));
        return;
      }
      const body = asRecord(req.body);
      const model = typeof body.model === 'string' ? body.model : '';
      if (!models.includes(model)) {
        reply.json(404, errorBody(404, `model: ${model}`));
        return;
      }
      const maxTokens = num(body.max_tokens);
      if (maxTokens === undefined) {
        reply.json(400, errorBody(400, 'max_tokens: Field required'));
        return;
      }
      const temperature = num(body.temperature);
      if (rejectsTemperature(options, model, temperature, 1)) {
        reply.json(
          400,
          errorBody(400, `temperature: this model only supports the default temperature (1); got ${temperature}`),
        );
        return;
      }
      const raw = Array.isArray(body.messages) ? body.messages : [];
      const messages = raw.map((m: { role?: unknown; content?: unknown }) => ({
        role: String(m?.role ?? ''),
        content: contentText(m?.content),
      }));
      const system = contentText(body.system);
      const out = generate(options, {
        kind: 'chat',
        model,
        messages: system ? [{ role: 'system', content: system }, ...messages] : messages,
        prompt: lastUserMessage(messages),
        temperature,
        maxTokens,
        topP: num(body.top_p),
      });
      const inputTokens = [system, ...messages.map((m) => m.content)].join(' ').split(/\s+/).filter(Boolean).length;
      reply.json(200, {
        id: `msg_${req.index}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: out.text }],
        stop_reason: out.truncated ? 'max_tokens' : 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: out.tokens.length },
      });
    },
    anthropicHuge,
  );
}
