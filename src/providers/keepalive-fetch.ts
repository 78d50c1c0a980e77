// A lean `fetch` for the SDKs' `fetch` option: node:http(s) over a keep-alive agent, the response body buffered.
// Why: Node 20's built-in fetch (undici) costs ~2 ms of CPU per small request until its code warms up (web streams,
// a tee of every request body to allow redirects, a wasm parser); node:http does the same exchange for ~0.5 ms, which
// decides whether a 2-core machine keeps 32 requests in flight. The SDK above it is unchanged (request building,
// errors, parsing). Fetch semantics kept: redirects (Fetch Standard §4.4, "HTTP-redirect fetch"), gzip/deflate/br
// decoding, abort with the signal's reason, network failures as TypeError('fetch failed', { cause }). Bodies other
// than a string or bytes (forms, blobs, streams), Request inputs and custom dispatchers go to the global fetch.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';

/** Idle keep-alive sockets close after this long (undici's default is 4 s), under the usual 5 s server timeout. */
const IDLE_MS = 4000;
/** Fetch Standard: a redirect chain longer than this is a network error. */
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that name the request body; dropped with it when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
/** Credentials that must not follow a redirect to another origin (Fetch Standard, undici). */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/** Free sockets time out after the idle period (or the server's Keep-Alive hint); sockets in use never do. */
function idleAgent(kind: typeof http | typeof https, idleMs: number): http.Agent {
  const agent = new kind.Agent({ keepAlive: true, timeout: idleMs, scheduling: 'lifo' });
  const reuse = agent.reuseSocket.bind(agent);
  agent.reuseSocket = (socket, req) => {
    reuse(socket, req);
    (socket as Socket).setTimeout(0);
  };
  return agent;
}

export interface KeepAliveFetchOptions {
  /** Idle time before a pooled connection is closed. Default 4000 ms. */
  readonly idleMs?: number;
  /**
   * The most bytes of a response body read (after decoding). A longer body is cut there and the connection closed,
   * so a hostile endpoint cannot fill memory; reading the cut body throws AnswerTooLargeError with what was read.
   */
  readonly maxBodyBytes?: number;
}

/** A response body longer than maxBodyBytes: `partial` holds its first maxBodyBytes bytes, decoded as UTF-8. */
export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';
  private text: string | undefined;
  constructor(
    readonly limit: number,
    private readonly bytes: Buffer,
  ) {
    super(`the answer is larger than ${limit} bytes; cut there`);
  }

  /** Decoded when asked: a refused listing (bulk-cap.ts) never needs the text, a cut answer does. */
  get partial(): string {
    this.text ??= utf8(this.bytes);
    return this.text;
  }
}

/** A `fetch` with its own connection pools (one per protocol); give one to each SDK client. */
export function createKeepAliveFetch(options: KeepAliveFetchOptions = {}): typeof fetch {
  const idleMs = options.idleMs ?? IDLE_MS;
  const maxBodyBytes = options.maxBodyBytes ?? Number.POSITIVE_INFINITY;
  const agents = { 'http:': idleAgent(http, idleMs), 'https:': idleAgent(https, idleMs) };
  const leanFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body;
    const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
    if (
      !url ||
      !plainBody ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      'dispatcher' in init ||
      (init.redirect !== undefined && init.redirect !== 'follow')
    ) {
      return fetch(input, init);
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    let method = (init.method ?? 'GET').toUpperCase();
    let payload: string | Uint8Array | undefined = body ?? undefined;
    const headers = headerRecord(init.headers);
    if (headers['accept-encoding'] === undefined)
      headers['accept-encoding'] = url.protocol === 'https:' ? 'gzip, deflate, br' : 'gzip, deflate';
    let current = url;
    for (let hop = 0; ; hop++) {
      if (payload !== undefined)
        headers['content-length'] = String(
          typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength,
        );
      const answer = await exchange(
        current,
        method,
        headers,
        payload,
        agents[current.protocol as 'http:' | 'https:'],
        signal,
        maxBodyBytes,
      );
      const location = REDIRECTS.has(answer.status) ? answer.headers.get('location') : null;
      if (location === null)
        return new BufferedResponse(answer, current.href, hop > 0, maxBodyBytes) as unknown as Response;
      if (hop >= MAX_REDIRECTS)
        throw new TypeError('fetch failed', {
          cause: new Error(`more than ${MAX_REDIRECTS} redirects from ${url.origin}`),
        });
      const next = new URL(location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:')
        throw new TypeError('fetch failed', {
          cause: new Error(`redirect to unsupported URL scheme ${next.protocol}`),
        });
      // 303 always, and 301/302 after a POST, become a GET without a body (Fetch Standard, HTTP-redirect fetch
      // step 12).
      if (
        answer.status === 303
          ? method !== 'HEAD'
          : (answer.status === 301 || answer.status === 302) && method === 'POST'
      ) {
        method = 'GET';
        payload = undefined;
        for (const h of BODY_HEADERS) delete headers[h];
      }
      if (next.origin !== current.origin) for (const h of CREDENTIAL_HEADERS) delete headers[h];
      current = next;
    }
  };
  return leanFetch as typeof fetch;
}

function headerRecord(source: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (source === undefined) return out;
  const entries: Iterable<[string, string]> =
    source instanceof Headers || Array.isArray(source)
      ? (source as Iterable<[string, string]>)
      : Object.entries(source);
  for (const [k, v] of entries) {
    const name = k.toLowerCase();
    out[name] = out[name] === undefined ? String(v) : `${out[name]}, ${String(v)}`;
  }
  return out;
}

interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: Buffer;
  /** The body was longer than the cap and is cut to it. */
  readonly over?: boolean;
}

/** One request and its whole (decoded) response body. */
function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  payload: string | Uint8Array | undefined,
  agent: http.Agent,
  signal: AbortSignal | undefined,
  maxBodyBytes: number,
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    };
    const onAbort = (): void => {
      fail(signal!.reason);
      req.destroy();
    };
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const finish = (raw: Buffer, cut: boolean): void => {
        const answerHeaders = new Headers();
        const rh = res.rawHeaders;
        for (let i = 0; i + 1 < rh.length; i += 2) answerHeaders.append(rh[i]!, rh[i + 1]!);
        const status = res.statusCode ?? 0;
        const coding =
          method === 'HEAD' || status === 204 || status === 304 ? undefined : answerHeaders.get('content-encoding');
        decode(raw, coding, maxBodyBytes).then(
          (decoded) => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            const over = cut || decoded.truncated;
            resolve({ status, statusText: res.statusMessage ?? '', headers: answerHeaders, body: decoded.bytes, over });
          },
          (err: unknown) => fail(new TypeError('terminated', { cause: err })),
        );
      };
      res.on('data', (c: Buffer) => {
        if (settled) return;
        received += c.length;
        chunks.push(c);
        if (received <= maxBodyBytes) return;
        // Over the cap: keep the first maxBodyBytes, drop the connection (never read the rest into memory).
        const raw = Buffer.concat(chunks).subarray(0, maxBodyBytes);
        chunks.length = 0;
        res.removeAllListeners('data');
        res.removeAllListeners('end');
        res.removeAllListeners('aborted');
        res.on('error', () => {});
        req.destroy();
        finish(raw, true);
      });
      res.on('error', (err) => fail(new TypeError('terminated', { cause: err })));
      res.on('aborted', () =>
        fail(
          new TypeError('terminated', {
            cause: Object.assign(new Error('the server closed the connection'), { code: 'UND_ERR_SOCKET' }),
          }),
        ),
      );
      res.on('end', () => {
        if (settled) return;
        finish(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), false);
      });
    });
    req.on('error', (err) => fail(new TypeError('fetch failed', { cause: closedEarly(err) })));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end(payload);
  });
}

/** node:http says "socket hang up" when the server closes before answering; undici calls it UND_ERR_SOCKET. */
function closedEarly(err: Error): Error {
  return err.message === 'socket hang up'
    ? Object.assign(new Error('other side closed'), { name: 'SocketError', code: 'UND_ERR_SOCKET' })
    : err;
}

/**
 * Undo Content-Encoding (the codings fetch decodes), last applied first, producing at most `limit` bytes: a small
 * compressed body cannot expand into gigabytes (zlib's maxOutputLength).
 */
async function decode(
  body: Buffer,
  encoding: string | null | undefined,
  limit: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (!encoding || body.length === 0) return { bytes: body, truncated: false };
  try {
    return { bytes: await decodeAll(body, encoding, limit), truncated: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      return { bytes: Buffer.alloc(0), truncated: true };
    throw err;
  }
}

async function decodeAll(body: Buffer, encoding: string, limit: number): Promise<Buffer> {
  const opts: zlib.ZlibOptions = Number.isFinite(limit) ? { maxOutputLength: Math.max(1, limit) } : {};
  let out = body;
  for (const coding of encoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') out = await zlibAsync(zlib.gunzip, out, opts);
    else if (coding === 'deflate')
      out = await zlibAsync(out[0] !== undefined && (out[0] & 0x0f) === 8 ? zlib.inflate : zlib.inflateRaw, out, opts);
    else if (coding === 'br') out = await zlibAsync(zlib.brotliDecompress, out, opts);
    else if (coding !== 'identity' && coding !== '') return out; // unknown coding: hand over the bytes as fetch does
  }
  return out;
}

function zlibAsync(
  fn: (buf: Buffer, options: zlib.ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void,
  buf: Buffer,
  options: zlib.ZlibOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => fn(buf, options, (err, out) => (err ? reject(err) : resolve(out))));
}

/** UTF-8 decode as fetch's text() does: a leading byte order mark is dropped. */
function utf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The part of the Fetch `Response` the SDKs use, over a buffered body: status, headers, url, and the body readers
 * (each body readable once, as with fetch). Anything rarer is delegated to a real Response built on demand.
 */
class BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  readonly redirected: boolean;
  readonly type = 'basic';
  private readonly bytes_: Buffer;
  private readonly over: boolean;
  private readonly limit: number;
  private used = false;
  private real: Response | undefined;

  constructor(answer: Answer, url: string, redirected: boolean, limit = Number.POSITIVE_INFINITY) {
    this.status = answer.status;
    this.statusText = answer.statusText;
    this.headers = answer.headers;
    this.bytes_ = answer.body;
    this.over = answer.over === true;
    this.limit = limit;
    this.url = url;
    this.redirected = redirected;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get bodyUsed(): boolean {
    return this.used || (this.real?.bodyUsed ?? false);
  }

  private consume(): Buffer {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    if (this.over) throw new AnswerTooLargeError(this.limit, this.bytes_);
    return this.bytes_;
  }

  private delegate(): Response {
    if (!this.real) {
      if (this.used) throw new TypeError('Body is unusable: Body has already been read');
      const nullBody = this.status === 204 || this.status === 304 || this.status === 101;
      this.real = new Response(nullBody ? null : new Uint8Array(this.bytes_), {
        status: this.status,
        statusText: this.statusText,
        headers: this.headers,
      });
    }
    return this.real;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.delegate().body;
  }

  async text(): Promise<string> {
    return utf8(this.consume());
  }

  async json(): Promise<unknown> {
    return JSON.parse(utf8(this.consume()));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.consume();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.consume());
  }

  blob(): Promise<Blob> {
    return this.delegate().blob();
  }

  formData(): Promise<FormData> {
    return this.delegate().formData();
  }

  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(
      {
        status: this.status,
        statusText: this.statusText,
        headers: new Headers(this.headers),
        body: this.bytes_,
        over: this.over,
      },
      this.url,
      this.redirected,
      this.limit,
    ) as unknown as Response;
  }
}
