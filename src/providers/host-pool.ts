// Several hosts serving the same models (Ollama boxes, vLLM replicas) as one Provider: each host takes at most its
// profile's maxConcurrency requests at once; a request goes to the least-loaded host that lists its model; a host
// that fails to connect (or times out, or errs 5xx) leaves the pool for a while and is tried again later, its
// request going to another host at once. The pool's base URL names the profile, not a host, so the cache key and
// the samples do not depend on which host answered.
//
//   hosts: [http://gpu1:11434, http://gpu2:11434]     # providers/ollama.yaml, or OLLAMA_HOST=gpu1,gpu2
import type { Completion } from '../core/types.js';
import { ProviderCallError, type CallOptions, type CompletionRequest, type Provider } from './provider.js';

export interface PoolOptions {
  /** How long a failing host stays out before it is tried again; doubles while it keeps failing (cap 16x). */
  readonly downMs?: number;
  /** Clock for the down times; default performance.now. */
  readonly now?: () => number;
}

interface Host {
  readonly url: string;
  readonly provider: Provider;
  inFlight: number;
  failures: number;
  downUntil: number;
  /** The models it lists; undefined until listed (a failed listing counts as a failure of the host). */
  models?: Set<string>;
  listing?: Promise<Set<string>>;
}

const HOST_FAILURES = new Set(['connection', 'timeout', 'server']);
export const DEFAULT_HOST_DOWN_MS = 30_000;

/** One Provider over several hosts of the same kind and profile (`hosts` are their base URLs, for messages). */
export function createHostPool(
  name: string,
  members: readonly { readonly url: string; readonly provider: Provider }[],
  perHost: number,
  options: PoolOptions = {},
): Provider {
  const first = members[0]?.provider;
  if (!first) throw new Error(`${name}: a host pool needs at least one host`);
  const now = options.now ?? (() => performance.now());
  const downMs = options.downMs ?? DEFAULT_HOST_DOWN_MS;
  const hosts: Host[] = members.map((m) => ({ ...m, inFlight: 0, failures: 0, downUntil: 0 }));
  const waiting: (() => void)[] = [];

  const failed = (h: Host): void => {
    h.failures++;
    h.downUntil = now() + downMs * 2 ** Math.min(4, h.failures - 1);
    h.models = undefined; // listed again when it comes back
  };

  const release = (h: Host): void => {
    h.inFlight--;
    waiting.shift()?.();
  };

  async function modelsOf(h: Host, options: CallOptions): Promise<Set<string> | undefined> {
    if (h.models) return h.models;
    h.listing ??= h.provider.listModels(options).then((ids) => new Set(ids));
    try {
      h.models = await h.listing;
      return h.models;
    } catch {
      failed(h);
      return undefined;
    } finally {
      h.listing = undefined;
    }
  }

  /**
   * The least-loaded live host that lists the model and has room (reserved: the caller must release it), waiting
   * for room; undefined if no live host lists the model.
   */
  async function pick(model: string, options: CallOptions): Promise<Host | undefined> {
    for (;;) {
      if (options.signal.aborted) throw options.signal.reason;
      const t = now();
      const live = hosts.filter((h) => h.downUntil <= t);
      const listed: Host[] = [];
      for (const h of live) if ((await modelsOf(h, options))?.has(model)) listed.push(h);
      if (listed.length === 0) return undefined;
      let best: Host | undefined;
      for (const h of listed) if (h.inFlight < perHost && (!best || h.inFlight < best.inFlight)) best = h;
      if (best) {
        best.inFlight++; // reserved here, in the same turn as the choice: no other request can take the same room
        return best;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  }

  async function complete(request: CompletionRequest, options: CallOptions): Promise<Completion> {
    for (;;) {
      const h = await pick(request.model, options);
      if (!h) {
        const down = hosts.filter((x) => x.downUntil > now()).map((x) => x.url);
        throw new ProviderCallError(
          down.length > 0 ? 'connection' : 'not_found',
          down.length > 0
            ? `${name}:${request.model}: no host can serve it now (${down.join(', ')} failing; tried again later)`
            : `${name}:${request.model}: no host of the pool lists this model`,
        );
      }
      try {
        const completion = await h.provider.complete(request, options);
        h.failures = 0;
        return completion;
      } catch (err) {
        if (options.signal.aborted || !(err instanceof ProviderCallError) || !HOST_FAILURES.has(err.kind)) throw err;
        failed(h); // this host leaves the pool for a while; the request goes to another one at once
      } finally {
        release(h);
      }
    }
  }

  return {
    ...first,
    name,
    baseURL: `pool:${name}`,
    rateLimit: { ...(first.rateLimit ?? {}), maxConcurrency: perHost * hosts.length },
    complete,
    listModels: async (options) => {
      const all = new Set<string>();
      for (const h of hosts) for (const id of (await modelsOf(h, options)) ?? []) all.add(id);
      return [...all].sort();
    },
    // What a host's listing says of a model (a digest): asked of a host that has it, within its concurrency.
    ...(first.describeModel
      ? {
          describeModel: async (model: string, options: CallOptions) => {
            const h = await pick(model, options);
            if (!h) return {};
            try {
              return await h.provider.describeModel!(model, options);
            } finally {
              release(h);
            }
          },
        }
      : {}),
    ...(first.embed
      ? {
          embed: async (model: string, texts: readonly string[], options: CallOptions) => {
            const h = await pick(model, options);
            if (!h) throw new ProviderCallError('not_found', `${name}:${model}: no host of the pool lists this model`);
            try {
              return await h.provider.embed!(model, texts, options);
            } finally {
              release(h);
            }
          },
        }
      : {}),
  };
}

/** The hosts a profile lists: `hosts`, else a comma-separated base-URL variable; undefined for a single host. */
export function poolHosts(hosts: readonly string[] | undefined, fromEnv: string | undefined): string[] | undefined {
  const list = hosts ?? (fromEnv?.includes(',') ? fromEnv.split(',') : undefined);
  const clean = list?.map((h) => h.trim()).filter(Boolean);
  return clean && clean.length > 1 ? clean.map((h) => (h.includes('://') ? h : `http://${h}`)) : undefined;
}
