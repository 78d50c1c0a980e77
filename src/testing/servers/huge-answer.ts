// The 'huge' fault: a well-formed 200 answer whose text is `bytes` bytes of `x` (after a terminal escape sequence),
// written as the client reads it, never held in memory: a hostile endpoint's 100 MB answer. Each protocol wraps the
// text in its own JSON; only the part before the text and the part after it differ. On a listing or embeddings path
// the huge part is a model id or a vector in that endpoint's shape.
import type http from 'node:http';
import type { RecordedRequest } from './common.js';

/**
 * The JSON of an answer around its text: `open` ends inside the opening quote, `close` starts at the closing one.
 * A listing's huge part is one model id; an embeddings response's is one vector, `unit` (`0.125,`) repeated.
 */
export interface HugeShape {
  readonly open: string;
  readonly close: string;
  /** What is repeated to fill `bytes` (whole units only, so the JSON stays valid); default `x`. */
  readonly unit?: string;
}

/** The shape of a huge answer to one request, in a protocol's wire format. */
export type HugeBody = (request: RecordedRequest) => HugeShape;

/** The text starts with an OSC title sequence (JSON-escaped), so tests see hostile bytes survive the cut. */
const HOSTILE_START = '\\u001b]0;pwned\\u0007';

const modelOf = (request: RecordedRequest): string =>
  String((request.body as { model?: unknown } | undefined)?.model ?? 'x');

/** JSON of `fields` without its closing brace, to continue with more fields. */
const openObject = (fields: Record<string, unknown>): string => JSON.stringify(fields).slice(0, -1);

/** A vector of `0.125`s: `open` ends inside the array, `close` holds its last element. */
const VECTOR_UNIT = '0.125,';

/** OpenAI: a chat completion with the text in `choices[0].message.content`; a listing with one huge model id, an
 * embeddings response with one huge vector. */
export const openAIHuge: HugeBody = (request) => {
  if (request.path.endsWith('/models'))
    return {
      open: '{"object":"list","data":[{"object":"model","created":0,"owned_by":"x","id":"',
      close: '"}]}',
    };
  if (request.path.endsWith('/embeddings'))
    return {
      open:
        `{"object":"list","model":${JSON.stringify(modelOf(request))},` +
        '"data":[{"object":"embedding","index":0,"embedding":[',
      close: '0.125]}],"usage":{"prompt_tokens":1,"total_tokens":1}}',
      unit: VECTOR_UNIT,
    };
  return openAIChatHuge(request);
};

const openAIChatHuge: HugeBody = (request) => ({
  open:
    `${openObject({ id: 'huge', object: 'chat.completion', created: 0, model: modelOf(request) })},` +
    `"choices":[{"index":0,"message":{"role":"assistant","content":"${HOSTILE_START}`,
  close: '"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}',
});

/** Anthropic: a Message with the text in `content[0].text`; a listing page with one huge model id. */
export const anthropicHuge: HugeBody = (request) =>
  request.path === '/v1/models'
    ? {
        open: '{"has_more":false,"first_id":null,"last_id":null,"data":[{"type":"model","display_name":"x","id":"',
        close: '","created_at":"2025-01-01T00:00:00Z"}]}',
      }
    : anthropicMessageHuge(request);

const anthropicMessageHuge: HugeBody = (request) => ({
  open:
    `${openObject({ id: 'msg_huge', type: 'message', role: 'assistant', model: modelOf(request) })},` +
    `"content":[{"type":"text","text":"${HOSTILE_START}`,
  close: '"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}',
});

/**
 * Ollama: `/api/chat` puts the text in `message.content`, `/api/generate` in `response` (one JSON object);
 * `/api/tags` lists one model with a huge name, `/api/embed` answers one huge vector.
 */
export const ollamaHuge: HugeBody = (request) => {
  if (request.path === '/api/tags')
    return { open: '{"models":[{"model":"x","digest":"00","size":1,"name":"', close: '"}]}' };
  if (request.path === '/api/embed')
    return {
      open: `{"model":${JSON.stringify(modelOf(request))},"embeddings":[[`,
      close: '0.125]]}',
      unit: VECTOR_UNIT,
    };
  const head = openObject({ model: modelOf(request), created_at: '2025-01-01T00:00:00Z' });
  const tail = '"done":true,"done_reason":"stop","prompt_eval_count":1,"eval_count":1}';
  return request.path === '/api/generate'
    ? { open: `${head},"response":"${HOSTILE_START}`, close: `",${tail}` }
    : { open: `${head},"message":{"role":"assistant","content":"${HOSTILE_START}`, close: `"},${tail}` };
};

/** Write the huge answer, waiting for the client to drain each chunk; stops when the client hangs up. */
export async function streamHuge(res: http.ServerResponse, bytes: number, shape: HugeShape): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  const unit = shape.unit ?? 'x';
  const chunk = unit.repeat(Math.max(1, Math.floor((64 * 1024) / unit.length)));
  // Whole units, at least `bytes` of them.
  const total = Math.ceil(bytes / unit.length) * unit.length;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  res.write(shape.open);
  for (let sent = 0; sent < total && !closed; sent += chunk.length) {
    if (!res.write(chunk.slice(0, Math.min(chunk.length, total - sent))))
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
  }
  if (!closed) res.end(shape.close);
}
