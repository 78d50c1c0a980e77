// The provider registry of every entry point (CLI commands, the app, benchmarks, tests): the built-in network
// adapters plus the in-process providers handed in here, the lab zoo and replay over the results folder's store.
// The registry itself (src/providers/registry.ts) imports neither src/lab nor src/store.
import fs from 'node:fs';
import path from 'node:path';
import { ProviderUnavailableError } from '../core/errors.js';
import { resultsDir } from '../core/options.js';
import { labProviderFactory } from '../lab/provider.js';
import type { Provider } from '../providers/provider.js';
import { createProviderRegistry, type ProviderContext, type ProviderRegistry } from '../providers/registry.js';
import { ReplayProvider } from '../providers/replay.js';
import { DB_FILE, openStoreReadonly } from '../store/sqlite.js';

/** A replay provider over a results folder's store, opened read-only: asking for replay never creates a store. */
function createReplayProvider(folder: string, name = 'replay'): ReplayProvider {
  if (!fs.existsSync(path.join(folder, DB_FILE))) {
    throw new ProviderUnavailableError(
      name,
      `no store in ${folder}; import responses first (phylo import) or pass --results`,
    );
  }
  return new ReplayProvider(openStoreReadonly(folder), name);
}

/** The factory for kind `replay`: reads the results folder it is given, else $PHYLO_RESULTS or ./results. */
export function replayProviderFactory(context: ProviderContext): Provider {
  return createReplayProvider(context.resultsDir ?? resultsDir(undefined, context.env), context.profile.name);
}

/** Every kind: openai, anthropic, ollama (built in), lab and replay (handed in). */
export const providerRegistry: ProviderRegistry = createProviderRegistry({
  lab: labProviderFactory,
  replay: replayProviderFactory,
});
