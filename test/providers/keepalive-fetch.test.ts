import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeepAliveFetch } from '../../src/providers/keepalive-fetch.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: number;
}

/** A server on 127.0.0.1 that records each request (and which connection carried it) and answers with `handle`. */
async function serve(
  handle: (seen: Seen, res: http.ServerResponse, origin: string) => void,
): Promise<{ origin: string; seen: Seen[]; connections: () => number; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  let connections = 0;
  const ids = new WeakMap<object, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socket: ids.get(req.socket) ?? -1,
      };
      seen.push(s);
      handle(s, res, origin);
    });
  });
  server.on('connection', (socket) => ids.set(socket, connections++));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function withServer(handle: Parameters<typeof serve>[0]) {
  const s = await serve(handle);
  closers.push(s.close);
  return s;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
};

describe('createKeepAliveFetch', () => {
  it('sends method, headers and body, and reads status, headers and JSON like fetch', async () => {
    const s = await withServer((seen, res) =>
      json(res, 201, { echo: seen.body, ct: seen.headers['content-type'] }, { 'x-request-id': 'req-1' }),
    );
    const f = createKeepAliveFetch();
    const body = JSON.stringify({ q: 'naïve ☕' });
    const res = await f(`${s.origin}/v1/x`, {
      method: 'post',
      headers: new Headers({ 'Content-Type': 'application/json', Authorization: 'Bearer t' }),
      body,
    });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.url).toBe(`${s.origin}/v1/x`);
    expect(await res.json()).toEqual({ echo: body, ct: 'application/json' });
    expect(s.seen[0]!.method).toBe('POST');
    expect(s.seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(s.seen[0]!.headers.authorization).toBe('Bearer t');
    // A body is read once, as with fetch.
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
  });

  it('reuses one connection for sequential requests', async () => {
    const s = await withServer((_, res) => json(res, 200, { ok: true }));
    const f = createKeepAliveFetch();
    for (let i = 0; i < 20; i++) await (await f(`${s.origin}/ping`, { method: 'POST', body: `{"i":${i}}` })).json();
    expect(s.seen).toHaveLength(20);
    expect(s.connections()).toBe(1);
    expect(new Set(s.seen.map((x) => x.socket)).size).toBe(1);
  });

  it('closes idle connections after idleMs but never cuts a slow answer on a pooled one', async () => {
    const s = await withServer((seen, res) => {
      const wait = seen.url === '/slow' ? 250 : 0;
      setTimeout(() => json(res, 200, { url: seen.url }), wait);
    });
    const f = createKeepAliveFetch({ idleMs: 100 });
    expect(await (await f(`${s.origin}/slow`)).json()).toEqual({ url: '/slow' }); // slower than idleMs on a new socket
    await (await f(`${s.origin}/a`)).json();
    await (await f(`${s.origin}/slow`)).json(); // reuses the pooled socket, and takes longer than idleMs
    expect(s.connections()).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await (await f(`${s.origin}/b`)).json()).toEqual({ url: '/b' });
    expect(s.connections()).toBe(2);
  });

  it('follows redirects as fetch does: 307 keeps the POST, 302 turns it into a GET, credentials stay on their origin', async () => {
    const other = await withServer((seen, res) =>
      json(res, 200, { method: seen.method, auth: seen.headers.authorization ?? null, body: seen.body }),
    );
    const s = await withServer((seen, res) => {
      if (seen.url === '/307') res.writeHead(307, { location: '/final' }).end();
      else if (seen.url === '/302') res.writeHead(302, { location: '/final' }).end();
      else if (seen.url === '/away') res.writeHead(308, { location: `${other.origin}/there` }).end();
      else if (seen.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else json(res, 200, { method: seen.method, auth: seen.headers.authorization ?? null, body: seen.body });
    });
    const f = createKeepAliveFetch();
    const init = {
      method: 'POST',
      headers: { authorization: 'Bearer secret', 'content-type': 'application/json' },
      body: '{"a":1}',
    };
    const kept = await f(`${s.origin}/307`, init);
    expect(kept.redirected).toBe(true);
    expect(kept.url).toBe(`${s.origin}/final`);
    expect(await kept.json()).toEqual({ method: 'POST', auth: 'Bearer secret', body: '{"a":1}' });
    expect(await (await f(`${s.origin}/302`, init)).json()).toEqual({ method: 'GET', auth: 'Bearer secret', body: '' });
    expect(await (await f(`${s.origin}/away`, init)).json()).toEqual({ method: 'POST', auth: null, body: '{"a":1}' });
    await expect(f(`${s.origin}/loop`)).rejects.toThrow(/fetch failed/);
    expect(s.seen.filter((x) => x.url === '/loop')).toHaveLength(21);
  });

  it('decodes gzip, deflate and brotli bodies', async () => {
    const payload = JSON.stringify({ text: 'a compressed answer '.repeat(50) });
    const s = await withServer((seen, res) => {
      const coding = seen.url.slice(1);
      const body =
        coding === 'gzip'
          ? zlib.gzipSync(payload)
          : coding === 'deflate'
            ? zlib.deflateSync(payload)
            : zlib.brotliCompressSync(payload);
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': coding,
          'content-length': body.length,
        })
        .end(body);
    });
    const f = createKeepAliveFetch();
    for (const coding of ['gzip', 'deflate', 'br'])
      expect(await (await f(`${s.origin}/${coding}`)).text()).toBe(payload);
    expect(s.seen[0]!.headers['accept-encoding']).toContain('gzip');
  });

  it('rejects with the signal reason when aborted mid-request, and frees nothing it should keep', async () => {
    const s = await withServer((seen, res) => {
      if (seen.url === '/hang') return; // never answers
      json(res, 200, { ok: true });
    });
    const f = createKeepAliveFetch();
    const controller = new AbortController();
    const pending = f(`${s.origin}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await pending.catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    const reason = new Error('my reason');
    const c2 = new AbortController();
    c2.abort(reason);
    await expect(f(`${s.origin}/hang`, { signal: c2.signal })).rejects.toBe(reason);
    expect(await (await f(`${s.origin}/ok`)).json()).toEqual({ ok: true });
  });

  it('reports network failures as fetch does (TypeError with the socket error as cause)', async () => {
    const s = await withServer((_, res) => res.socket?.destroy());
    const f = createKeepAliveFetch();
    const dropped = (await f(`${s.origin}/x`, { method: 'POST', body: '{}' }).catch((e: unknown) => e)) as TypeError & {
      cause?: { code?: string };
    };
    expect(dropped).toBeInstanceOf(TypeError);
    expect(dropped.message).toBe('fetch failed');
    expect(dropped.cause?.code).toBe('UND_ERR_SOCKET');
    const port = new URL(s.origin).port;
    await s.close();
    const refused = (await f(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e)) as TypeError & {
      cause?: { code?: string };
    };
    expect(refused).toBeInstanceOf(TypeError);
    expect(refused.cause?.code).toBe('ECONNREFUSED');
  });

  it('hands bodies it does not buffer (forms) to the global fetch', async () => {
    const s = await withServer((seen, res) => json(res, 200, { ct: seen.headers['content-type'], body: seen.body }));
    const f = createKeepAliveFetch();
    const res = await f(`${s.origin}/form`, { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two' }) });
    expect(await res.json()).toEqual({ ct: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'a=1&b=two' });
  });
});
