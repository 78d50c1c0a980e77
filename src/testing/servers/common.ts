// The shared machinery of our local vendor servers: a node:http server on 127.0.0.1 (port 0) that records every
// request, applies a fault plan, and hands well-formed requests to a protocol handler. Used by tests, benchmarks and
// demos so that nothing needs a network or a key.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HugeBody, openAIHuge, streamHuge } from './huge-answer.js';

/** A fault to inject into one request instead of a normal answer. */
export type Fault =
  /** 429 with `Retry-After: retryAfter` (seconds or an HTTP date) and/or `retry-after-ms`. */
  | { readonly kind: '429'; readonly retryAfter?: string; readonly retryAfterMs?: number }
  /** 500 with a JSON error body. */
  | { readonly kind: '500' }
  /** Any status with a JSON error body in the protocol's shape (e.g. 401, 404, 400, 503). */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly message?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Never answer (until the client gives up or the server closes). */
  | { readonly kind: 'hang' }
  /** 200 with a JSON content type and a body that is not JSON. */
  | { readonly kind: 'malformed' }
  /** Destroy the socket without answering. */
  | { readonly kind: 'drop' }
  /** Answer normally after this extra delay. */
  | { readonly kind: 'delay'; readonly ms: number }
  /**
   * 200 with an answer in the server's protocol whose text is `bytes` bytes of `x` (plus an escape sequence), streamed
   * in chunks without holding it in memory: a hostile endpoint's 100 MB answer (huge-answer.ts).
   */
  | { readonly kind: 'huge'; readonly bytes: number };

/** Per request (0-based, counting every request the server sees): an array (holes = normal), or a function. */
export type FaultPlan =
  | readonly (Fault | null | undefined)[]
  | ((request: RecordedRequest) => Fault | null | undefined);

/** What a request asked for, in protocol-neutral terms: what a responder sees. */
export interface ModelRequest {
  /** 'chat' (messages) or 'prefix' (raw completion / generate). */
  readonly kind: 'chat' | 'prefix';
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  /** The raw prefix for 'prefix' requests; for 'chat', the last user message. */
  readonly prompt: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly seed?: number;
  readonly topP?: number;
}

/** Request -> response text. Must be deterministic so that tests can compute what to expect. */
export type Responder = (request: ModelRequest) => string;

export interface RecordedRequest {
  /** 0-based arrival order. */
  readonly index: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body, or undefined when there was none (or it was not JSON). */
  readonly body: unknown;
  /** The fault injected, if any. */
  fault?: Fault;
}

export interface ServerOptions {
  /** Response text for each model request; default: `echoResponder`. */
  readonly responder?: Responder;
  readonly faults?: FaultPlan;
  /** Fixed latency added to every answer (benchmarks use 50 ms). */
  readonly latencyMs?: number;
  /** Model ids the listing endpoints return. Default: ['test-model']. */
  readonly models?: readonly string[];
  /** When set, requests must carry this key (Bearer / x-api-key); otherwise 401. */
  readonly apiKey?: string;
  /**
   * Models that reject any temperature but the default (OpenAI reasoning models, newer Claude models): a request
   * to them with a non-default temperature gets 400 mentioning temperature.
   */
  readonly defaultTemperatureOnly?: readonly string[];
  /**
   * What the server says it is when it answers request `index` (0-based, every request counted): the answered model
   * id and (OpenAI) the system_fingerprint. Default: the model asked for, and `fp_phylo_test`. An alias moving to a
   * new snapshot mid-run is `(r, i) => (i < 10 ? { model: 'm-0613' } : { model: 'm-1106' })`.
   */
  readonly answeredAs?: (
    request: ModelRequest,
    index: number,
  ) => { readonly model?: string; readonly fingerprint?: string };
  /** Dimension of /embeddings vectors. Default 32. */
  readonly embeddingDim?: number;
}

export interface TestServer {
  /** Base URL to give the SDK: OpenAI `http://127.0.0.1:PORT/v1`, Anthropic and Ollama `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every request seen, in order (live array). */
  readonly requests: readonly RecordedRequest[];
  /** Most requests in flight at once so far (to check a scheduler's concurrency limit). */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** The default responder: says what it was asked, so tests can tell requests apart. */
export const echoResponder: Responder = (r) => `${r.model} says: ${r.prompt}`;

/** A protocol handler: answers one well-formed request (after faults and latency). */
export type Handler = (request: RecordedRequest, reply: Reply) => void;

export interface Reply {
  json(status: number, body: unknown, headers?: Readonly<Record<string, string>>): void;
  /** Newline-delimited JSON (Ollama streaming). */
  ndjson(lines: readonly unknown[]): void;
}

/** How a protocol shapes an error body. */
export type ErrorBody = (status: number, message: string) => unknown;

function faultFor(plan: FaultPlan | undefined, request: RecordedRequest): Fault | undefined {
  if (plan === undefined) return undefined;
  if (typeof plan === 'function') return plan(request) ?? undefined;
  return plan[request.index] ?? undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startServer(
  options: ServerOptions,
  url: (origin: string) => string,
  errorBody: ErrorBody,
  handler: Handler,
  hugeBody: HugeBody = openAIHuge,
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
      const recorded: RecordedRequest = {
        index: requests.length,
        method: req.method ?? 'GET',
        path,
        query,
        headers: { ...req.headers },
        body,
      };
      requests.push(recorded);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          inFlight--;
        }
      };
      res.on('close', finish);
      const reply: Reply = {
        json(status, payload, headers = {}) {
          const text = JSON.stringify(payload);
          res.writeHead(status, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
            ...headers,
          });
          res.end(text);
        },
        ndjson(lines) {
          res.writeHead(200, { 'content-type': 'application/x-ndjson' });
          res.end(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
        },
      };
      void respond(recorded, reply, res).catch(() => res.destroy());
    });
  });

  async function respond(recorded: RecordedRequest, reply: Reply, res: http.ServerResponse): Promise<void> {
    const fault = faultFor(options.faults, recorded);
    if (fault) recorded.fault = fault;
    if (options.latencyMs) await sleep(options.latencyMs);
    if (fault?.kind === 'delay') await sleep(fault.ms);
    switch (fault?.kind) {
      case 'hang':
        return; // the socket stays open until the client aborts or close() destroys it
      case 'drop':
        res.socket?.destroy();
        return;
      case 'malformed': {
        const text = '{"id": "broken", "choices": [ {"text": "unterminated';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      case '429': {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        reply.json(429, errorBody(429, 'Rate limit reached for requests'), headers);
        return;
      }
      case 'huge':
        await streamHuge(res, fault.bytes, hugeBody(recorded));
        return;
      case '500':
        reply.json(500, errorBody(500, 'The server had an error while processing your request'));
        return;
      case 'status':
        reply.json(fault.status, errorBody(fault.status, fault.message ?? `error ${fault.status}`), fault.headers);
        return;
      default:
        break;
    }
    if (options.apiKey !== undefined) {
      const auth = recorded.headers.authorization;
      const given = typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '') : recorded.headers['x-api-key'];
      if (given !== options.apiKey) {
        // Deliberately hostile: echo the key back, as some servers do, so tests prove the adapters scrub it.
        reply.json(401, errorBody(401, `Incorrect API key provided: ${String(given)}`));
        return;
      }
    }
    handler(recorded, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: url(`http://127.0.0.1:${port}`),
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- deterministic fake model behaviour shared by the protocols ----

/** Whitespace tokens of a text, each but the first with its leading space, as BPE tokens look. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** The responder's text cut to maxTokens tokens, with the finish reason a server would give. */
export function generate(
  options: ServerOptions,
  request: ModelRequest,
): { text: string; tokens: string[]; truncated: boolean } {
  const full = (options.responder ?? echoResponder)(request);
  const all = tokenize(full);
  const max = request.maxTokens ?? Infinity;
  if (all.length <= max) return { text: full, tokens: all, truncated: false };
  const tokens = all.slice(0, max);
  return { text: tokens.join(''), tokens, truncated: true };
}

/** FNV-1a, for deterministic pseudo-values derived from text. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic logprob in (-4, 0] for a token in a context. */
export function fakeLogprob(token: string, position: number): number {
  return -(fnv1a(`${position}:${token}`) % 4000) / 1000;
}

/** `k` alternatives to a token, each less likely than the chosen one (chosen first, as the APIs list it). */
export function fakeAlternatives(token: string, position: number, k: number): { token: string; logprob: number }[] {
  const chosen = fakeLogprob(token, position);
  const out = [{ token, logprob: chosen }];
  for (let i = 1; i < k; i++)
    out.push({ token: `${token}~${i}`, logprob: chosen - i - (fnv1a(`${token}${i}`) % 1000) / 1000 });
  return out;
}

/** A character-trigram hashing embedding, L2-normalised: similar texts get similar vectors. */
export function fakeEmbedding(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  const s = ` ${text.toLowerCase()} `;
  for (let i = 0; i + 3 <= s.length; i++) {
    const h = fnv1a(s.slice(i, i + 3));
    v[h % dim]! += h & 0x10000 ? 1 : -1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** Whether a request sets a temperature the model does not accept. */
export function rejectsTemperature(
  options: ServerOptions,
  model: string,
  temperature: number | undefined,
  defaultValue: number,
): boolean {
  return (
    temperature !== undefined && temperature !== defaultValue && (options.defaultTemperatureOnly ?? []).includes(model)
  );
}

export function lastUserMessage(messages: readonly { role: string; content: string }[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messages[i]!.content;
  return '';
}

/** Message content as text: a string, or an array of text blocks (OpenAI and Anthropic both allow it). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((b: { text?: unknown }) => (typeof b?.text === 'string' ? b.text : '')).join('');
  return '';
}

export function asRecord(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
