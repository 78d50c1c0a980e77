// What the registry hands a provider factory, and the one place a key is read (from the environment, by name).
import { ProviderUnavailableError } from '../core/errors.js';
import type { Provider } from './provider.js';
import type { Profile } from './profile.js';

export interface ProviderContext {
  /** The profile of the prefix (a built-in one for a bare kind without a file). */
  readonly profile: Profile;
  readonly env: NodeJS.ProcessEnv;
  readonly profilesDir: string;
  /** The results folder, for providers that read the store (replay). */
  readonly resultsDir?: string;
}

export type ProviderFactory = (context: ProviderContext) => Provider;

/**
 * The API key named by the profile's keyEnv, or undefined when the profile needs none. A missing key throws,
 * naming the variable to set (never a value).
 */
export function requireKey(profile: Profile, env: NodeJS.ProcessEnv): string | undefined {
  if (!profile.keyEnv) return undefined;
  const key = env[profile.keyEnv]?.trim();
  if (!key) throw new ProviderUnavailableError(profile.name, `no API key: set ${profile.keyEnv}`);
  return key;
}
