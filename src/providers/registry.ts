// From a model-ref prefix to a Provider: the prefix names a profile (providers/*.yaml) or a bare kind; the profile's
// kind picks the factory. Add an adapter kind with one line in `providerFactories`.
//
//   const provider = resolveProvider('openai');            // profile providers/openai.yaml, key from OPENAI_API_KEY
//   const { provider, model } = resolveModelRef('together:meta-llama/Llama-3-8b-chat-hf');
//
// Resolve once per prefix and reuse the Provider: it remembers, per model, what the server refused.
import { InputError, ProviderUnavailableError } from '../core/errors.js';
import { parseModelRef } from '../core/refs.js';
import { createAnthropicProvider } from './anthropic.js';
import type { ProviderFactory } from './factory.js';
import { createOllamaProvider } from './ollama.js';
import { createOpenAIProvider } from './openai.js';
import { replayProviderFactory } from '../store/replay-provider.js';
import { labProviderFactory } from '../lab/provider.js';
import {
  implicitProfile,
  loadProfiles,
  profilesDir,
  ProfileSchema,
  type Profile,
  type ProfileKind,
} from './profile.js';
import type { Provider } from './provider.js';

export { loadProfiles, profilesDir, type Profile };
export type { ProviderContext, ProviderFactory } from './factory.js';

/** One factory per adapter kind. */
export const providerFactories: Partial<Record<ProfileKind, ProviderFactory>> = {
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
  ollama: createOllamaProvider,
  replay: replayProviderFactory,
  lab: labProviderFactory,
};

export interface ResolveOptions {
  /** Where keys and base-URL variables are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: `profilesDir(env)`. */
  readonly profilesDir?: string;
  /** Profiles already loaded (saves re-reading the folder). */
  readonly profiles?: ReadonlyMap<string, Profile>;
  /** For providers that read the store (replay). */
  readonly resultsDir?: string;
}

const KINDS = ProfileSchema.shape.kind.options;

function isKind(prefix: string): prefix is ProfileKind {
  return (KINDS as readonly string[]).includes(prefix);
}

/** Every prefix a model ref may use: profile names and the kinds that have a factory. */
export function knownPrefixes(profiles: ReadonlyMap<string, Profile>): string[] {
  const kinds = Object.keys(providerFactories);
  return [...new Set([...profiles.keys(), ...kinds])].sort();
}

/** The profile a prefix resolves to, or an InputError listing the known prefixes. */
export function profileFor(prefix: string, profiles: ReadonlyMap<string, Profile>): Profile {
  const profile =
    profiles.get(prefix) ?? (isKind(prefix) && providerFactories[prefix] ? implicitProfile(prefix) : undefined);
  if (!profile)
    throw new InputError(`unknown provider "${prefix}": known prefixes are ${knownPrefixes(profiles).join(', ')}`);
  return profile;
}

/**
 * The Provider for a model-ref prefix. Throws InputError for an unknown prefix and ProviderUnavailableError
 * when it cannot be used (no key: the message names the variable to set).
 */
export function resolveProvider(prefix: string, options: ResolveOptions = {}): Provider {
  const env = options.env ?? process.env;
  const dir = options.profilesDir ?? profilesDir(env);
  const profiles = options.profiles ?? loadProfiles(dir);
  const profile = profileFor(prefix, profiles);
  const factory = providerFactories[profile.kind];
  if (!factory) throw new ProviderUnavailableError(profile.name, `no adapter for kind ${profile.kind} in this build`);
  return factory({
    profile,
    env,
    profilesDir: dir,
    ...(options.resultsDir !== undefined ? { resultsDir: options.resultsDir } : {}),
  });
}

/** Parse `prefix:model` and resolve its provider. */
export function resolveModelRef(ref: string, options: ResolveOptions = {}): { provider: Provider; model: string } {
  const { prefix, model } = parseModelRef(ref);
  return { provider: resolveProvider(prefix, options), model };
}
