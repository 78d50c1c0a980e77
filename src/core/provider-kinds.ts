// The provider adapter kinds, with the environment variables each reads, in one list: the profile schema, the
// registry, the built-in profiles and the TUI's provider list all read it. Adding a kind starts here.

/** Every adapter kind a profile may name (providers/*.yaml `kind:`), in the order the app lists them. */
export const PROVIDER_KIND_NAMES = ['lab', 'openai', 'anthropic', 'ollama', 'replay'] as const;

export type ProviderKind = (typeof PROVIDER_KIND_NAMES)[number];

export interface ProviderKindInfo {
  /** Variable holding the API key; absent: the kind needs none (local servers, in-process models). */
  readonly keyEnv?: string;
  /** Variable that may hold the base URL (or host) when the profile gives none. */
  readonly baseURLEnv?: string;
  /** Whether the app offers its models when starting a run (replay serves answers already stored, not a model). */
  readonly offeredInApp: boolean;
}

export const PROVIDER_KINDS: Readonly<Record<ProviderKind, ProviderKindInfo>> = {
  lab: { offeredInApp: true },
  openai: { keyEnv: 'OPENAI_API_KEY', baseURLEnv: 'OPENAI_BASE_URL', offeredInApp: true },
  anthropic: { keyEnv: 'ANTHROPIC_API_KEY', baseURLEnv: 'ANTHROPIC_BASE_URL', offeredInApp: true },
  ollama: { baseURLEnv: 'OLLAMA_HOST', offeredInApp: true },
  replay: { offeredInApp: false },
};

export function isProviderKind(name: string): name is ProviderKind {
  return (PROVIDER_KIND_NAMES as readonly string[]).includes(name);
}
