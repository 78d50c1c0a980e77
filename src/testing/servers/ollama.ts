// A local server speaking the Ollama REST wire format: GET /api/tags, POST /api/chat, /api/generate, /api/embed.
// The `ollama` client sends `stream: false` unless asked to stream; both forms are answered (streaming as NDJSON).
import {
  asRecord,
  contentText,
  fakeAlternatives,
  fakeEmbedding,
  fakeLogprob,
  fnv1a,
  generate,
  lastUserMessage,
  num,
  startServer,
  type ServerOptions,
  type TestServer,
} from './common.js';
import { ollamaHuge } from './huge-answer.js';

const errorBody = (_status: number, message: string) => ({ error: message });

/** Start an Ollama-protocol server; give its `url` to `new Ollama({ host })`. */
export function startOllamaServer(options: ServerOptions = {}): Promise<TestServer> {
  const models = options.models ?? ['test-model'];
  return startServer(
    options,
    (origin) => origin,
    errorBody,
    (req, reply) => {
      if (req.method === 'GET' && req.path === '/api/tags') {
        reply.json(200, {
          models: models.map((name) => ({
            name,
            model: name,
            modified_at: '2025-01-01T00:00:00Z',
            size: 1000 + (fnv1a(name) % 1000),
            digest: fnv1a(name).toString(16).padStart(64, '0'),
            details: {
              parent_model: '',
              format: 'gguf',
              family: 'test',
              families: ['test'],
              parameter_size: '1M',
              quantization_level: 'F16',
            },
          })),
        });
        return;
      }
      if (req.method === 'GET' && req.path === '/api/version') {
        reply.json(200, { version: '0.12.0' });
        return;
      }
      const body = asRecord(req.body);
      const model = typeof body.model === 'string' ? body.model : '';
      if (req.method !== 'POST' || !['/api/chat', '/api/generate', '/api/embed'].includes(req.path)) {
        reply.json(404, errorBody(404, `404 page not found`));
        return;
      }
      if (!models.includes(model)) {
        reply.json(404, errorBody(404, `model '${model}' not found`));
        return;
      }
      if (req.path === '/api/embed') {
        const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
        const dim = options.embeddingDim ?? 32;
        reply.json(200, {
          model,
          embeddings: input.map((t) => fakeEmbedding(t, dim)),
          total_duration: 1000,
          load_duration: 10,
          prompt_eval_count: input.length,
        });
        return;
      }
      const opts = asRecord(body.options);
      const chat = req.path === '/api/chat';
      const messages =
        chat && Array.isArray(body.messages)
          ? body.messages.map((m: { role?: unknown; content?: unknown }) => ({
              role: String(m?.role ?? ''),
              content: contentText(m?.content),
            }))
          : [];
      const prompt = chat ? lastUserMessage(messages) : String(body.prompt ?? '');
      const out = generate(options, {
        kind: chat ? 'chat' : 'prefix',
        model,
        messages,
        prompt,
        temperature: num(opts.temperature),
        maxTokens: num(opts.num_predict),
        seed: num(opts.seed),
        topP: num(opts.top_p),
      });
      const promptTokens = (chat ? messages.map((m) => m.content).join(' ') : prompt)
        .split(/\s+/)
        .filter(Boolean).length;
      const top = num(body.top_logprobs) ?? 0;
      const logprobs =
        body.logprobs === true
          ? out.tokens.map((token, i) => ({
              token,
              logprob: fakeLogprob(token, i),
              top_logprobs: top > 0 ? fakeAlternatives(token, i, top) : undefined,
            }))
          : undefined;
      const final = {
        model,
        created_at: '2025-01-01T00:00:00Z',
        done: true,
        done_reason: out.truncated ? 'length' : 'stop',
        total_duration: 1_000_000,
        load_duration: 1000,
        prompt_eval_count: promptTokens,
        prompt_eval_duration: 1000,
        eval_count: out.tokens.length,
        eval_duration: 1000,
        ...(logprobs ? { logprobs } : {}),
      };
      const piece = (text: string) => (chat ? { message: { role: 'assistant', content: text } } : { response: text });
      if (body.stream === true) {
        const chunks = out.tokens.map((t) => ({ model, created_at: final.created_at, done: false, ...piece(t) }));
        reply.ndjson([...chunks, { ...final, ...piece('') }]);
        return;
      }
      reply.json(200, { ...final, ...piece(out.text), ...(chat ? {} : { context: [1, 2, 3] }) });
    },
    ollamaHuge,
  );
}
