// A local server speaking the OpenAI REST wire format (what the `openai` SDK and every OpenAI-compatible server use):
// GET /v1/models, POST /v1/chat/completions (with logprobs/top_logprobs), /v1/completions, /v1/embeddings.
import {
  asRecord,
  contentText,
  fakeAlternatives,
  fakeEmbedding,
  fakeLogprob,
  generate,
  lastUserMessage,
  num,
  rejectsTemperature,
  startServer,
  type ModelRequest,
  type ServerOptions,
  type TestServer,
} from './common.js';

const errorBody = (status: number, message: string) => ({
  error: {
    message,
    type: status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error',
    param: null,
    code: null,
  },
});

export interface OpenAIServerOptions extends ServerOptions {
  /** Where the API lives: `/v1` (default), or a vendor's path such as `/openai/v1` (Azure, Groq), `/api/v1`. */
  readonly apiPath?: string;
}

/** Start an OpenAI-protocol server; its `url` ends in `/v1` (or `apiPath`), ready for `new OpenAI({ baseURL })`. */
export function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<TestServer> {
  const api = options.apiPath ?? '/v1';
  const models = options.models ?? ['test-model'];
  let created = 1_700_000_000;
  return startServer(
    options,
    (origin) => `${origin}${api}`,
    errorBody,
    (req, reply) => {
      const body = asRecord(req.body);
      const model = typeof body.model === 'string' ? body.model : '';
      if (req.method === 'GET' && req.path === `${api}/models`) {
        reply.json(200, {
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'phylo-test' })),
        });
        return;
      }
      if (req.method !== 'POST') {
        reply.json(404, errorBody(404, `Unknown request URL: ${req.method} ${req.path}`));
        return;
      }
      if (req.path === `${api}/embeddings`) {
        const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
        const dim = options.embeddingDim ?? 32;
        const data = input.map((text, index) => {
          const vector = fakeEmbedding(text, dim);
          // The SDK asks for base64 (little-endian float32) unless the caller asks for floats.
          const embedding =
            body.encoding_format === 'base64'
              ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
              : vector;
          return { object: 'embedding', index, embedding };
        });
        const tokens = input.reduce((s, t) => s + t.split(/\s+/).filter(Boolean).length, 0);
        reply.json(200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
        return;
      }
      if (req.path !== `${api}/chat/completions` && req.path !== `${api}/completions`) {
        reply.json(404, errorBody(404, `Unknown request URL: POST ${req.path}`));
        return;
      }
      if (!models.includes(model)) {
        reply.json(404, errorBody(404, `The model \`${model}\` does not exist or you do not have access to it.`));
        return;
      }
      const temperature = num(body.temperature);
      if (rejectsTemperature(options, model, temperature, 1)) {
        reply.json(
          400,
          errorBody(
            400,
            `Unsupported value: 'temperature' does not support ${temperature} with this model. ` +
              'Only the default (1) value is supported.',
          ),
        );
        return;
      }
      const chat = req.path === `${api}/chat/completions`;
      const messages =
        chat && Array.isArray(body.messages)
          ? body.messages.map((m: { role?: unknown; content?: unknown }) => ({
              role: String(m?.role ?? ''),
              content: contentText(m?.content),
            }))
          : [];
      const prompt = chat ? lastUserMessage(messages) : String(body.prompt ?? '');
      const request: ModelRequest = {
        kind: chat ? 'chat' : 'prefix',
        model,
        messages,
        prompt,
        temperature,
        maxTokens: num(body.max_completion_tokens) ?? num(body.max_tokens),
        seed: num(body.seed),
        topP: num(body.top_p),
      };
      const out = generate(options, request);
      const inputTokens = (chat ? messages.map((m) => m.content).join(' ') : prompt)
        .split(/\s+/)
        .filter(Boolean).length;
      const usage = {
        prompt_tokens: inputTokens,
        completion_tokens: out.tokens.length,
        total_tokens: inputTokens + out.tokens.length,
      };
      const finish_reason = out.truncated ? 'length' : 'stop';
      const answered = options.answeredAs?.(request, req.index) ?? {};
      const answeredModel = answered.model ?? model;
      const system_fingerprint = answered.fingerprint ?? 'fp_phylo_test';
      created++;
      if (chat) {
        const top = num(body.top_logprobs) ?? 0;
        const logprobs =
          body.logprobs === true
            ? {
                content: out.tokens.map((token, i) => ({
                  token,
                  logprob: fakeLogprob(token, i),
                  bytes: [...Buffer.from(token)],
                  top_logprobs: fakeAlternatives(token, i, top).map((a) => ({
                    ...a,
                    bytes: [...Buffer.from(a.token)],
                  })),
                })),
                refusal: null,
              }
            : null;
        reply.json(200, {
          id: `chatcmpl-${req.index}`,
          object: 'chat.completion',
          created,
          model: answeredModel,
          system_fingerprint,
          choices: [
            { index: 0, message: { role: 'assistant', content: out.text, refusal: null }, logprobs, finish_reason },
          ],
          usage,
        });
        return;
      }
      // Legacy completions: logprobs is an integer (alternatives wanted), in the tokens/token_logprobs shape.
      const k = num(body.logprobs);
      const logprobs =
        k !== undefined
          ? {
              tokens: out.tokens,
              token_logprobs: out.tokens.map((t, i) => fakeLogprob(t, i)),
              top_logprobs: out.tokens.map((t, i) =>
                Object.fromEntries(fakeAlternatives(t, i, Math.max(1, k)).map((a) => [a.token, a.logprob])),
              ),
              text_offset: out.tokens.map((_, i) => prompt.length + out.tokens.slice(0, i).join('').length),
            }
          : null;
      reply.json(200, {
        id: `cmpl-${req.index}`,
        object: 'text_completion',
        created,
        model: answeredModel,
        system_fingerprint,
        choices: [{ index: 0, text: out.text, logprobs, finish_reason }],
        usage,
      });
    },
  );
}
