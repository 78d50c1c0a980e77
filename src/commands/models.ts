// `phylo models [provider]`: what each configured provider offers, and which are unavailable and why.
import type { Command } from 'commander';
import { DEFAULTS } from '../core/defaults.js';
import { ProviderUnavailableError } from '../core/errors.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { parseNumber } from '../core/parse-number.js';
import { oneLine } from '../core/sanitize.js';
import { discoverProviders, type Discovery } from '../providers/discover.js';
import { loadProfiles, profilesDir } from '../providers/registry.js';
import { providerRegistry as registry } from './providers-setup.js';

interface ModelsOptions {
  readonly json?: boolean;
  readonly results?: string;
  readonly timeout: string;
  readonly profiles?: string;
}

function formatText(found: readonly Discovery[]): string {
  const width = Math.max(...found.map((d) => d.provider.length)) + 2;
  const lines: string[] = [];
  for (const d of found) {
    const name = d.provider.padEnd(width);
    if (d.status === 'unavailable') {
      lines.push(`${name}unavailable: ${oneLine(d.reason)}`);
      continue;
    }
    lines.push(
      `${name}${d.models.length} model${d.models.length === 1 ? '' : 's'}` +
        `${d.baseURL ? ` at ${oneLine(d.baseURL)}` : ''}`,
    );
    for (const m of d.models) lines.push(`  ${d.provider}:${oneLine(m)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('models')
    .description('list the models each configured provider offers, and say which providers are unavailable and why')
    .argument('[provider]', 'only this provider (a profile name from providers/ or a kind)')
    .option('--json', 'print the discoveries as JSON')
    .option('--timeout <ms>', 'give each provider this long to answer', String(DEFAULTS.discoveryTimeoutMs))
    .option('--profiles <dir>', 'profiles folder (default: $PHYLO_PROFILES or the providers/ folder of llm-phylo)')
    .option(...RESULTS_OPTION)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ phylo models                 # every provider in providers/*.yaml\n' +
        '  $ phylo models ollama --json   # the local Ollama models, as JSON\n',
    )
    .action(async (provider: string | undefined, opts: ModelsOptions) => {
      const timeoutMs = parseNumber('--timeout', opts.timeout, { min: 1 });
      const env = process.env;
      const dir = opts.profiles ?? profilesDir(env);
      const profiles = loadProfiles(dir);
      // An unknown prefix: one line listing the known ones.
      if (provider !== undefined) registry.profileFor(provider, profiles);
      const prefixes = provider !== undefined ? [provider] : registry.knownPrefixes(profiles);
      // The results folder matters to the replay provider, whose models are the stored runs.
      const found = await discoverProviders(prefixes, {
        registry,
        profiles,
        env,
        profilesDir: dir,
        timeoutMs,
        resultsDir: resultsDir(opts.results, env),
      });
      process.stdout.write(opts.json ? `${JSON.stringify(found, null, 2)}\n` : formatText(found));
      const only = found[0];
      // Asked about one provider and it cannot be used: the command could not do its job.
      if (provider !== undefined && only?.status === 'unavailable')
        throw new ProviderUnavailableError(provider, only.reason);
    });
}
