// `phylo lab serve`: the zoo behind an HTTP server on 127.0.0.1 that speaks the OpenAI API (/v1/models,
// /v1/completions, /v1/chat/completions with logprobs) and the Ollama API (/api/tags, /api/generate, /api/chat,
// streaming NDJSON or not), so the zoo can be audited through the official SDKs as a vendor's API would be.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderCallError } from '../providers/provider.js';
import { ZooModels, zooFingerprint } from './provider.js';
import { ollamaGenerate } from './server-ollama.js';
import { openAiCompletion } from './server-openai.js';
import { HttpError, type LabRouteContext, readJson, sendJson } from './server-request.js';

export interface LabServer {
  readonly url: string;
  readonly port: number;
  /** Requests answered so far, by route (for logs and tests). */
  readonly counts: Readonly<Record<string, number>>;
  close(): Promise<void>;
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
  const ctx: LabRouteContext = { zoo, fingerprint, nextId: () => ++idCounter };

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (method === 'GET' && (p === '/v1/models' || p === '/models')) {
      const names = await zoo.list();
      sendJson(res, 200, {
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
      sendJson(res, 200, {
        id,
        object: 'model',
        created: Math.floor(Date.parse(started) / 1000),
        owned_by: 'llm-phylo-lab',
      });
      return 'model';
    }
    if (method === 'POST' && (p === '/v1/completions' || p === '/v1/chat/completions')) {
      await openAiCompletion(ctx, await readJson(req), p.endsWith('chat/completions'), res);
      return p.endsWith('chat/completions') ? 'chat.completions' : 'completions';
    }
    if (method === 'GET' && p === '/api/tags') {
      const names = await zoo.list();
      sendJson(res, 200, {
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
      sendJson(res, 200, { version: '0.0.0-llm-phylo-lab' });
      return 'version';
    }
    if (method === 'POST' && (p === '/api/generate' || p === '/api/chat')) {
      await ollamaGenerate(ctx, await readJson(req), p === '/api/chat', res);
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
        sendJson(
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
