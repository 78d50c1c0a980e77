// The 'huge' fault: a well-formed 200 answer whose text is `bytes` bytes of `x` (after a terminal escape sequence),
// written as the client reads it, never held in memory: a hostile endpoint's 100 MB answer. Each protocol wraps the
// text in its own JSON; only the part before the text and the part after it differ.
import type http from 'node:http';
import type { RecordedRequest } from './common.js';

/** The JSON of an answer around its text: `open` ends inside the opening quote, `close` starts at the closing one. */
export interface HugeShape {
  readonly open: string;
  readonly close: string;
}

/** The shape of a huge answer to one request, in a protocol's wire format. */
export type HugeBody = (request: RecordedRequest) => HugeShape;

/** The text starts with an OSC title sequence (JSON-escaped), so tests see hostile bytes survive the cut. */
const HOSTILE_START = '\\u001b]0;pwned\\u0007';

const modelOf = (request: RecordedRequest): string =>
  String((request.body as { model?: unknown } | undefined)?.model ?? 'x');

/** JSON of `fields` without its closing brace, to continue with more fields. */
const openObject = (fields: Record<string, unknown>): string => JSON.stringify(fields).slice(0, -1);

/** OpenAI: a chat completion with the text in `choices[0].message.content`. */
export const openAIHuge: HugeBody = (request) => ({
  open:
    `${openObject({ id: 'huge', object: 'chat.completion', created: 0, model: modelOf(request) })},` +
    `"choices":[{"index":0,"message":{"role":"assistant","content":"${HOSTILE_START}`,
  close: '"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}',
});

/** Anthropic: a Message with the text in `content[0].text`. */
export const anthropicHuge: HugeBody = (request) => ({
  open:
    `${openObject({ id: 'msg_huge', type: 'message', role: 'assistant', model: modelOf(request) })},` +
    `"content":[{"type":"text","text":"${HOSTILE_START}`,
  close: '"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}',
});

/** Ollama: `/api/chat` puts the text in `message.content`, `/api/generate` in `response` (one JSON object). */
export const ollamaHuge: HugeBody = (request) => {
  const head = openObject({ model: modelOf(request), created_at: '2025-01-01T00:00:00Z' });
  const tail = '"done":true,"done_reason":"stop","prompt_eval_count":1,"eval_count":1}';
  return request.path === '/api/generate'
    ? { open: `${head},"response":"${HOSTILE_START}`, close: `",${tail}` }
    : { open: `${head},"message":{"role":"assistant","content":"${HOSTILE_START}`, close: `"},${tail}` };
};

/** Write the huge answer, waiting for the client to drain each chunk; stops when the client hangs up. */
export async function streamHuge(res: http.ServerResponse, bytes: number, shape: HugeShape): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = 'x'.repeat(64 * 1024);
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  res.write(shape.open);
  for (let sent = 0; sent < bytes && !closed; sent += chunk.length) {
    if (!res.write(chunk.slice(0, Math.min(chunk.length, bytes - sent))))
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
