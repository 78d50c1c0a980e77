// The one step of an analysis that may touch the network: provider embeddings of a run's texts for the embed signal
// (`phylo tree RUN --embeddings openai:text-embedding-3-small`). It runs before the pure analysis and hands it a
// lookup from text to vector; the results folder's store is opened writable only when something is not cached.
import { secretsFromEnv } from '../collect/index.js';
import { InputError, ProviderUnavailableError } from '../core/errors.js';
import { parseModelRef } from '../core/refs.js';
import { embedTexts, type EmbedTextsOptions, type EmbedTextsResult } from '../collect/embeddings.js';
import { distinctTexts, type TextEmbeddings } from '../phenotype/provider-embeddings.js';
import { responseTable } from '../phenotype/responses.js';
import { loadProfiles, profileFor, profilesDir, resolveProvider } from '../providers/registry.js';
import type { Provider } from '../providers/provider.js';
import type { RunData } from '../core/run.js';
import { ResultsEmbeddingCache } from '../store/embedding-cache.js';

export interface ProviderEmbeddingsOptions extends Omit<EmbedTextsOptions, 'secrets'> {
  readonly resultsDir: string;
  /** Where the key and base URL are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly profilesDir?: string;
}

export interface ProviderEmbeddingsResult {
  readonly embeddings: TextEmbeddings;
  readonly stats: Omit<EmbedTextsResult, 'vectors'>;
}

/** Embed every answered sample's text of a run with `ref` (`provider:model`), through the store's cache. */
export async function providerEmbeddings(
  data: RunData,
  ref: string,
  options: ProviderEmbeddingsOptions,
): Promise<ProviderEmbeddingsResult> {
  let parsed: ReturnType<typeof parseModelRef>;
  try {
    parsed = parseModelRef(ref);
  } catch {
    throw new InputError(
      `--embeddings ${ref}: expected provider:model, e.g. openai:text-embedding-3-small or ollama:nomic-embed-text`,
    );
  }
  const env = options.env ?? process.env;
  const dir = options.profilesDir ?? profilesDir(env);
  const profiles = loadProfiles(dir);
  const resolve = (e: NodeJS.ProcessEnv) =>
    resolveProvider(parsed.prefix, { env: e, profiles, profilesDir: dir, resultsDir: options.resultsDir });
  // Without its key a provider cannot be built, yet a run whose vectors are all cached needs no request: build it
  // with a stand-in key that is never sent (only its kind and base URL are used, for the cache keys), and fail with
  // the usual missing-key error only if a text is not cached.
  const keyEnv = profileFor(parsed.prefix, profiles).keyEnv;
  let provider: Provider;
  let cannotRequest: ProviderUnavailableError | undefined;
  try {
    provider = resolve(env);
  } catch (err) {
    if (!(err instanceof ProviderUnavailableError) || keyEnv === undefined || env[keyEnv]?.trim()) throw err;
    cannotRequest = err;
    provider = resolve({ ...env, [keyEnv]: 'stand-in-key-never-sent' });
  }
  const cache = new ResultsEmbeddingCache(options.resultsDir);
  try {
    const { vectors, ...stats } = await embedTexts(provider, parsed.model, distinctTexts(responseTable(data)), cache, {
      ...options,
      secrets: secretsFromEnv(env),
      ...(cannotRequest ? { cannotRequest } : {}),
    });
    return { embeddings: { name: `${parsed.prefix}:${parsed.model}`, vectors }, stats };
  } finally {
    cache.close();
  }
}
