// `phylo run`: collect a run (models x suite x samples) into the results folder; re-running a name resumes it.
import type { Command } from 'commander';
import { prepareRun, secretsFromEnv, startCollection, type CollectResult } from '../collect/index.js';
import { startProgressReporter } from '../collect/progress-reporter.js';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { modelRef, parseModelRef, runName } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import type { ModelRef, RunSpec, SamplingParams } from '../core/types.js';
import { loadSuite } from '../probes/load.js';
import type { Provider } from '../providers/provider.js';
import { loadProfiles, profileFor, profilesDir, resolveProvider, type Profile } from '../providers/registry.js';
import { openStore } from '../store/sqlite.js';

export const EXIT_INTERRUPTED = 130;

interface RunOptions {
  suite: string;
  models: string;
  samples?: string;
  name?: string;
  temperature?: string;
  maxTokens?: string;
  logprobs?: string;
  concurrency?: string;
  timeout?: string;
  retries?: string;
  retryErrors?: boolean;
  results?: string;
  json?: boolean;
  quiet?: boolean;
}

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InputError(`${flag} ${value}: expected a whole number >= ${min}`);
  return n;
}

function number(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InputError(`${flag} ${value}: expected a number from ${min} to ${max}`);
  return n;
}

/** suite-YYYYMMDD-HHMMSS (UTC), a valid run name whatever the suite is called. */
export function defaultRunName(suite: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = suite.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'run';
  return `${base.slice(0, 100)}-${stamp}`;
}

function parseModels(list: string): ModelRef[] {
  const refs = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(modelRef);
  if (refs.length === 0)
    throw new InputError(
      '--models: give at least one provider:model, e.g. --models openai:gpt-4o-mini,ollama:llama3.2',
    );
  return [...new Set(refs)];
}

function formatResult(r: CollectResult, resumed: boolean): string {
  const errors = Object.entries(r.errorsByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `run ${oneLine(r.run)} ${r.cancelled ? 'interrupted' : 'finished'}${resumed ? ' (resumed)' : ''}: ${r.ok} ok, ${r.errors} errors${errors ? ` (${errors})` : ''}`,
    `  ${r.requested} requests, ${r.cached} from the cache, tokens ${r.inputTokens} in / ${r.outputTokens} out, $${r.costUsd.toFixed(4)}`,
    `  see it with: phylo show ${oneLine(r.run)}`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('run')
    .description('collect responses of models to a probe suite into the results folder (re-run a --name to resume it)')
    .requiredOption('--suite <suite>', 'suite name from probes/ (e.g. core) or a path to a suite file')
    .requiredOption('--models <refs>', 'comma-separated model refs provider:model')
    .option('--samples <n>', "samples per probe (default: the suite's; a probe's own count wins)")
    .option('--name <name>', 'run name (default: suite-date-time); an existing name is resumed')
    .option('--temperature <t>', 'sampling temperature (over the suite default, under probe overrides)')
    .option('--max-tokens <n>', 'maximum tokens per response')
    .option(
      '--logprobs <k>',
      "also store each token's top-k logprobs (0-20; OpenAI, OpenAI-compatible, Ollama, lab): the logprobs signal of phylo tree",
    )
    .option('--concurrency <n>', "requests in flight per provider (default: the profile's rateLimit.maxConcurrency)")
    .option('--timeout <ms>', "per-request timeout in milliseconds (default: the profile's timeoutMs)")
    .option('--retries <n>', 'retries per sample after the first attempt', '4')
    .option('--retry-errors', 'on resume, also re-request samples that failed permanently (bad_request, unsupported)')
    .option(...RESULTS_OPTION)
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ phylo run --suite core --models openai:gpt-4o-mini,ollama:llama3.2 --samples 3\n' +
        '  $ phylo run --suite core --models replay:gpt4_0613 --name offline   # from an imported run, no network\n' +
        '  $ phylo run --suite core --models ollama:llama3.2,ollama:qwen2.5 --logprobs 20   # then: phylo tree RUN --signal logprobs\n' +
        '  $ phylo run --name core-20250101-120000 --suite core --models openai:gpt-4o-mini   # resume\n' +
        'Ctrl-C stops cleanly: everything answered is kept; run the same command again to finish.\n',
    )
    .action(async (opts: RunOptions) => {
      const env = process.env;
      const suite = loadSuite(opts.suite);
      const models = parseModels(opts.models);
      const samplesFlag = integer('--samples', opts.samples, 1);
      const temperature = number('--temperature', opts.temperature, 0, 2);
      const maxTokens = integer('--max-tokens', opts.maxTokens, 1);
      // 20 is the most OpenAI's chat API returns (top_logprobs); the sampling field is part of every cache key.
      const topLogprobs = number('--logprobs', opts.logprobs, 0, 20);
      if (topLogprobs !== undefined && !Number.isInteger(topLogprobs))
        throw new InputError(`--logprobs ${opts.logprobs}: expected a whole number from 0 to 20`);
      const concurrency = integer('--concurrency', opts.concurrency, 1);
      const timeoutFlag = integer('--timeout', opts.timeout, 1);
      const retries = integer('--retries', opts.retries, 0) ?? 4;
      const results = resultsDir(opts.results);

      // Every provider is resolved before anything is stored: an unknown prefix or a missing key is one line, exit 2.
      const profiles = loadProfiles(profilesDir(env));
      const byPrefix = new Map<string, { provider: Provider; profile: Profile }>();
      for (const ref of models) {
        const { prefix } = parseModelRef(ref);
        if (byPrefix.has(prefix)) continue;
        const profile = profileFor(prefix, profiles);
        byPrefix.set(prefix, { profile, provider: resolveProvider(prefix, { env, profiles, resultsDir: results }) });
      }

      const store = openStore(results);
      try {
        const name = runName(opts.name ?? defaultRunName(suite.name));
        const existing = store.hasRun(name) ? store.getRun(name) : undefined;
        const sampling: Partial<SamplingParams> = { ...(existing?.sampling ?? {}) };
        if (temperature !== undefined) Object.assign(sampling, { temperature });
        if (maxTokens !== undefined) Object.assign(sampling, { maxTokens });
        if (topLogprobs !== undefined) Object.assign(sampling, { topLogprobs });
        const spec: RunSpec = {
          name,
          suite,
          models,
          samples: samplesFlag ?? existing?.samples ?? suite.defaults.samples,
          ...(Object.keys(sampling).length > 0 ? { sampling } : {}),
        };
        const prepared = prepareRun(store, spec);
        const reporter = startProgressReporter({ quiet: opts.quiet });
        const collection = startCollection({
          store,
          spec: prepared.spec,
          providerFor: (m) => byPrefix.get(parseModelRef(m).prefix)!.provider,
          concurrency: (p) => concurrency ?? byPrefix.get(p.name)?.profile.rateLimit.maxConcurrency ?? 4,
          timeoutMs: timeoutFlag ?? Math.max(...[...byPrefix.values()].map((b) => b.profile.timeoutMs)),
          maxAttempts: retries + 1,
          secrets: secretsFromEnv(env),
          listeners: [reporter.listener],
        });
        let interrupts = 0;
        const onSigint = (): void => {
          interrupts++;
          if (interrupts === 1) {
            process.stderr.write(
              '\ninterrupted: stopping (answered samples are stored); Ctrl-C again to quit at once\n',
            );
            collection.cancel();
          } else {
            process.exit(EXIT_INTERRUPTED);
          }
        };
        process.on('SIGINT', onSigint);
        let result: CollectResult;
        try {
          result = await collection.done;
        } finally {
          process.off('SIGINT', onSigint);
          reporter.stop();
        }
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ ...result, resumed: prepared.resumed, results }, null, 2)}\n`);
        else process.stdout.write(`${formatResult(result, prepared.resumed)}\n`);
        if (result.cancelled) {
          const kept = store.samplesOf(name).length;
          process.stderr.write(
            `kept ${kept} samples of run ${name}; resume with: phylo run --name ${name} --suite ${opts.suite} --models ${models.join(',')}\n`,
          );
          process.exitCode = EXIT_INTERRUPTED;
        }
      } finally {
        store.close();
      }
    });
}
