// What each configured provider offers right now: its model list, or why it cannot be used (no key: the variable
// to set; server down: the host). Discoveries run concurrently, each with a short timeout.
import { ProviderUnavailableError } from '../core/errors.js';
import { oneLine } from '../core/sanitize.js';
import type { Profile } from './profile.js';
import type { Capabilities, Provider } from './provider.js';
import type { ProviderRegistry } from './registry.js';

export type Discovery =
  | {
      readonly provider: string;
      readonly kind: string;
      readonly status: 'ok';
      readonly baseURL: string;
      readonly capabilities: Capabilities;
      readonly models: readonly string[];
    }
  | {
      readonly provider: string;
      readonly kind: string;
      readonly status: 'unavailable';
      readonly baseURL?: string;
      readonly reason: string;
    };

export interface DiscoverOptions {
  /** The registry that builds each provider (the entry point's, with lab and replay handed in). */
  readonly registry: ProviderRegistry;
  readonly profiles: ReadonlyMap<string, Profile>;
  readonly env: NodeJS.ProcessEnv;
  readonly profilesDir: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** For providers that read the store (replay). */
  readonly resultsDir?: string;
}

/** The reason without the leading "name: " that failure messages start with. */
function reasonOf(err: unknown, name: string): string {
  if (err instanceof ProviderUnavailableError) return err.reason;
  const message = err instanceof Error ? err.message : String(err);
  return oneLine(message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);
}

/** Discover one provider. Never throws for a provider that is merely unavailable. */
export async function discoverProvider(prefix: string, options: DiscoverOptions): Promise<Discovery> {
  const kind = options.profiles.get(prefix)?.kind ?? prefix;
  let provider: Provider;
  try {
    provider = options.registry.resolveProvider(prefix, {
      env: options.env,
      profilesDir: options.profilesDir,
      profiles: options.profiles,
      ...(options.resultsDir !== undefined ? { resultsDir: options.resultsDir } : {}),
    });
  } catch (err) {
    // No key, no store, a bad base URL: the provider cannot be used, and the reason says what to do.
    return { provider: prefix, kind, status: 'unavailable', reason: reasonOf(err, prefix) };
  }
  if (!provider.capabilities.modelListing)
    return {
      provider: prefix,
      kind,
      status: 'unavailable',
      baseURL: provider.baseURL,
      reason: 'does not list its models',
    };
  try {
    const models = await provider.listModels({
      signal: options.signal ?? new AbortController().signal,
      timeoutMs: options.timeoutMs,
    });
    return {
      provider: prefix,
      kind: provider.kind,
      status: 'ok',
      baseURL: provider.baseURL,
      capabilities: provider.capabilities,
      models,
    };
  } catch (err) {
    // Discovery reports every failure as a reason (classified ones read best); it never stops the listing.
    return {
      provider: prefix,
      kind: provider.kind,
      status: 'unavailable',
      baseURL: provider.baseURL,
      reason: reasonOf(err, provider.name),
    };
  }
}

/** Discover several providers at once, in the order given. */
export function discoverProviders(prefixes: readonly string[], options: DiscoverOptions): Promise<Discovery[]> {
  return Promise.all(prefixes.map((p) => discoverProvider(p, options)));
}
