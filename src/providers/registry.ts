// From a model-ref prefix to a Provider: the prefix names a profile (providers/*.yaml) or a bare kind; the profile's
// kind picks the factory. The network adapters (openai, anthropic, ollama) are built in; the lab and replay
// providers are handed in by the entry point (src/commands/providers-setup.ts), as the Vercel AI SDK's provider
// registry receives provider instances, so this folder imports neither src/lab nor src/store.
//
//   const registry = createProviderRegistry({ lab: labProviderFactory });
//   const provider = registry.resolveProvider('openai');   // profile providers/openai.yaml, key from OPENAI_API_KEY
//
// Resolve once per prefix and reuse the Provider: it remembers, per model, what the server refused.
import { InputError, ProviderUnavailableError } from '../core/errors.js';
import { isProviderKind, type ProviderKind } from '../core/provider-kinds.js';
import { parseModelRef } from '../core/refs.js';
import { createAnthropicProvider } from './anthropic.js';
import type { ProviderFactory } from './factory.js';
import { createHostPool, poolHosts } from './host-pool.js';
import { createOllamaProvider } from './ollama.js';
import { createOpenAIProvider } from './openai.js';
import { implicitProfile, loadProfiles, profilesDir, type Profile } from './profile.js';
import type { Provider } from './provider.js';

export { loadProfiles, profilesDir, type Profile };
export type { ProviderContext, ProviderFactory } from './factory.js';

/** Factories by adapter kind. */
export type ProviderFactories = Readonly<Partial<Record<ProviderKind, ProviderFactory>>>;

/** The adapters of this folder; an entry point adds the in-process ones (lab, replay). */
export const builtInFactories: ProviderFactories = {
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
  ollama: createOllamaProvider,
};

export interface ResolveOptions {
  /** Where keys and base-URL variables are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: `profilesDir(env)`. */
  readonly profilesDir?: string;
  /** Profiles already loaded (saves re-reading the folder). */
  readonly profiles?: ReadonlyMap<string, Profile>;
  /** For providers that read the results folder (replay). */
  readonly resultsDir?: string;
}

export interface ProviderRegistry {
  readonly factories: ProviderFactories;
  /** Every prefix a model ref may use: profile names and the kinds that have a factory. */
  knownPrefixes(profiles: ReadonlyMap<string, Profile>): string[];
  /** The profile a prefix resolves to, or an InputError listing the known prefixes. */
  profileFor(prefix: string, profiles: ReadonlyMap<string, Profile>): Profile;
  /**
   * The Provider for a model-ref prefix. Throws InputError for an unknown prefix and ProviderUnavailableError
   * when it cannot be used (no key: the message names the variable to set).
   */
  resolveProvider(prefix: string, options?: ResolveOptions): Provider;
  /** Parse `prefix:model` and resolve its provider. */
  resolveModelRef(ref: string, options?: ResolveOptions): { provider: Provider; model: string };
}

/** A registry of the built-in adapters plus the factories handed in (which win over a built-in of the same kind). */
export function createProviderRegistry(handedIn: ProviderFactories = {}): ProviderRegistry {
  const factories: ProviderFactories = { ...builtInFactories, ...handedIn };
  const knownPrefixes = (profiles: ReadonlyMap<string, Profile>): string[] =>
    [...new Set([...profiles.keys(), ...Object.keys(factories)])].sort();
  const profileFor = (prefix: string, profiles: ReadonlyMap<string, Profile>): Profile => {
    const profile =
      profiles.get(prefix) ?? (isProviderKind(prefix) && factories[prefix] ? implicitProfile(prefix) : undefined);
    if (!profile)
      throw new InputError(`unknown provider "${prefix}": known prefixes are ${knownPrefixes(profiles).join(', ')}`);
    return profile;
  };
  const resolveProvider = (prefix: string, options: ResolveOptions = {}): Provider => {
    const env = options.env ?? process.env;
    const dir = options.profilesDir ?? profilesDir(env);
    const profile = profileFor(prefix, options.profiles ?? loadProfiles(dir));
    const factory = factories[profile.kind];
    if (!factory) throw new ProviderUnavailableError(profile.name, `no adapter for kind ${profile.kind} in this build`);
    const context = {
      profile,
      env,
      profilesDir: dir,
      ...(options.resultsDir !== undefined ? { resultsDir: options.resultsDir } : {}),
    };
    // Several hosts (`hosts:` or OLLAMA_HOST=a,b,c): one adapter per host behind a pool (host-pool.ts).
    const hosts =
      profile.kind === 'ollama' || profile.kind === 'openai'
        ? poolHosts(profile.hosts, profile.baseURLEnv ? env[profile.baseURLEnv] : undefined)
        : undefined;
    if (hosts) {
      const members = hosts.map((url) => ({
        url,
        provider: factory({ ...context, profile: { ...profile, baseURL: url, hosts: undefined } }),
      }));
      return createHostPool(profile.name, members, profile.rateLimit.maxConcurrency);
    }
    return factory(context);
  };
  return {
    factories,
    knownPrefixes,
    profileFor,
    resolveProvider,
    resolveModelRef(ref, options) {
      const { prefix, model } = parseModelRef(ref);
      return { provider: resolveProvider(prefix, options), model };
    },
  };
}

/** The built-in network adapters only (no lab, no replay): for code that needs no in-process provider. */
export const { knownPrefixes, profileFor, resolveProvider } = createProviderRegistry();
