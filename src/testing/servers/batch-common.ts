// What our two batch servers share: a loopback HTTP server with raw bodies (the Files API uploads multipart), and
// the life of a batch: created, polled through its states, ended completed / expired / cancelled with the answers
// of the requests it ran. State moves with polls, not time, so tests are fast and deterministic.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BatchServerOptions {
  /** Polls (status retrievals) before a batch is completed; default 2. */
  readonly pollsToComplete?: number;
  /** Batches (by 0-based creation order) that expire instead: only the first half of their requests is run. */
  readonly expire?: (batchIndex: number) => boolean;
  /** A request answered with an error instead (by its custom id and model): HTTP status and message. */
  readonly errorFor?: (customId: string, model: string) => { status: number; message: string } | undefined;
  /** Model ids that exist; a request to another is answered 404 in the results. Default: ['test-model']. */
  readonly models?: readonly string[];
  /** Response text for each request; default: `${model} says: ${prompt}`. */
  readonly responder?: (model: string, prompt: string) => string;
}

export interface ServedBatch {
  readonly id: string;
  readonly index: number;
  /** custom id -> request body, in submitted order. */
  readonly requests: Map<string, Record<string, unknown>>;
  readonly metadata: Record<string, string>;
  readonly createdAt: number;
  polls: number;
  state: 'in_progress' | 'cancelling' | 'completed' | 'expired' | 'cancelled';
  /** Custom ids it ran (answered or errored), fixed when it ends. */
  ran: string[];
}

export interface BatchTestServer {
  readonly url: string;
  readonly batches: readonly ServedBatch[];
  /** Requests submitted over all batches (a request submitted twice counts twice). */
  readonly submittedRequests: number;
  close(): Promise<void>;
}

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RawReply {
  json(status: number, body: unknown): void;
  text(status: number, body: string, contentType?: string): void;
}

export async function startRawServer(
  handle: (req: RawRequest, reply: RawReply, origin: string) => Promise<void> | void,
): Promise<{ origin: string; close(): Promise<void> }> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply: RawReply = {
        json(status, body) {
          const text = JSON.stringify(body);
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        },
        text(status, body, contentType = 'application/octet-stream') {
          res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
          res.end(body);
        },
      };
      const path = (req.url ?? '/').split('?', 1)[0]!;
      const raw = { method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks) };
      Promise.resolve(handle(raw, reply, origin)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One poll of a batch: it moves toward its end; an ended batch stays. */
export function advance(b: ServedBatch, options: BatchServerOptions): void {
  if (b.state === 'completed' || b.state === 'expired' || b.state === 'cancelled') return;
  b.polls++;
  const ids = [...b.requests.keys()];
  if (b.state === 'cancelling') {
    b.state = 'cancelled';
    b.ran = ids.slice(0, Math.floor(ids.length / 2));
    return;
  }
  if (b.polls < (options.pollsToComplete ?? 2)) return;
  if (options.expire?.(b.index)) {
    b.state = 'expired';
    b.ran = ids.slice(0, Math.floor(ids.length / 2));
    return;
  }
  b.state = 'completed';
  b.ran = ids;
}

/** What a request to a model answers, for both protocols: text, token counts, or an error. */
export function answer(
  options: BatchServerOptions,
  customId: string,
  model: string,
  prompt: string,
  maxTokens: number | undefined,
):
  | { ok: true; text: string; inputTokens: number; outputTokens: number; truncated: boolean }
  | { ok: false; status: number; message: string } {
  const error = options.errorFor?.(customId, model);
  if (error) return { ok: false, ...error };
  if (!(options.models ?? ['test-model']).includes(model))
    return { ok: false, status: 404, message: `model ${model} not found` };
  const full = (options.responder ?? ((m, p) => `${m} says: ${p}`))(model, prompt);
  const tokens = full.match(/\s*\S+/g) ?? [];
  const kept = tokens.slice(0, maxTokens ?? tokens.length);
  return {
    ok: true,
    text: kept.join(''),
    inputTokens: prompt.split(/\s+/).filter(Boolean).length,
    outputTokens: kept.length,
    truncated: kept.length < tokens.length,
  };
}

export function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m?.role === 'user') return typeof m.content === 'string' ? m.content : '';
  }
  return '';
}
