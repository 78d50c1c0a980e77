// `phylo run`: collect a run (models x suite x samples) into the results folder; re-running a name resumes it.
import type { Command } from 'commander';
import type { CollectResult } from '../collect/collection.js';
import { DEFAULT_MAX_RETRY_WAIT_MS } from '../collect/collection.js';
import { type LaunchedRun, launchCollection } from '../collect/launch.js';
import { MAX_RETRY_WAIT_S, MAX_RUN_SAMPLES, MAX_SAMPLES_PER_PROBE } from '../collect/limits.js';
import { startProgressReporter } from '../collect/progress-reporter.js';
import { DEFAULTS } from '../core/defaults.js';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { optionalInteger, optionalNumber } from '../core/parse-number.js';
import { modelRef, runName } from '../core/refs.js';
import { defaultRunName } from '../core/run-name.js';
import { oneLine } from '../core/sanitize.js';
import type { ModelRef, RunName } from '../core/types.js';
import { loadSuite } from '../probes/load.js';
import { loadProfiles, profilesDir } from '../providers/registry.js';
import { describeHolder, RunHeldError } from '../store/lease.js';
import { openStore, type SqliteStore } from '../store/sqlite.js';
import { providerRegistry } from './providers-setup.js';
import { budgetLine, costGuard, EXIT_BUDGET_REACHED } from '../collect/budget.js';
import { selectProbes } from '../probes/select.js';
import { addRunControlOptions, applyRunConfig, requireSuiteAndModels, runControl } from './run-config.js';
import type { RunControlFlags } from './run-config.js';
import { printDryRun } from './run-plan.js';
import { type AdaptiveLaunch, launchAdaptive } from '../collect/adaptive-run.js';
import { adaptiveFlags, adaptivePhaseLine, refuseAdaptiveResume } from './run-adaptive.js';

export const EXIT_INTERRUPTED = 130;
/** Samples are missing because every attempt failed: the run is incomplete (a resume retries them). */
export const EXIT_INCOMPLETE = 1;
const WAIT_POLL_MS = 1000;

/** Launch; with --wait, while another live process holds the run, say so once and try again every second. */
async function launchOrWait(launch: () => LaunchedRun, wait: boolean, closeStore: () => void): Promise<LaunchedRun> {
  let said = false;
  for (;;) {
    try {
      return launch();
    } catch (err) {
      if (!(err instanceof RunHeldError) || !wait) throw err;
      closeStore();
      if (!said) process.stderr.write(`waiting: run ${err.holder.run} is held by ${describeHolder(err.holder)}\n`);
      said = true;
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }
}

/** Exit 1 with the count by error kind when stored samples of the run are errors: 0 only when complete. */
function reportIncomplete(store: SqliteStore, name: RunName): void {
  const byKind = new Map<string, number>();
  for (const state of store.sampleStates(name).values())
    if (state.status === 'error') byKind.set(state.kind ?? 'server', (byKind.get(state.kind ?? 'server') ?? 0) + 1);
  if (byKind.size === 0) return;
  const total = [...byKind.values()].reduce((a, b) => a + b, 0);
  const kinds = [...byKind].map(([k, n]) => `${k} ${n}`).join(', ');
  process.stderr.write(
    `phylo: run ${name} is incomplete: ${total} samples failed after every attempt (${kinds}); ` +
      'run the same command again to retry them\n',
  );
  process.exitCode = EXIT_INCOMPLETE;
}

interface RunOptions extends RunControlFlags {
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
  maxRetryWait?: string;
  wait?: boolean;
  seed?: string;
  fresh?: boolean;
  batch?: boolean;
  batchPoll?: string;
  results?: string;
  json?: boolean;
  quiet?: boolean;
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
    `run ${oneLine(r.run)} ${r.cancelled ? 'interrupted' : 'finished'}${resumed ? ' (resumed)' : ''}: ` +
      `${r.ok} ok, ${r.errors} errors${errors ? ` (${errors})` : ''}`,
    `  ${r.requested} requests, ${r.cached} from the cache, ` +
      `tokens ${r.inputTokens} in / ${r.outputTokens} out, $${r.costUsd.toFixed(4)}`,
    `  see it with: phylo show ${oneLine(r.run)}`,
  ].join('\n');
}

export function register(program: Command): void {
  addRunControlOptions(program.command('run'))
    .description('collect responses of models to a probe suite into the results folder (re-run a --name to resume it)')
    .option('--suite <suite>', 'suite name from probes/ (e.g. core) or a path to a suite file')
    .option('--models <refs>', 'comma-separated model refs provider:model')
    .option('--samples <n>', "samples per probe (default: the suite's; a probe's own count wins)")
    .option('--name <name>', 'run name (default: suite-date-time); an existing name is resumed')
    .option('--temperature <t>', 'sampling temperature (over the suite default, under probe overrides)')
    .option('--max-tokens <n>', 'maximum tokens per response')
    .option(
      '--logprobs <k>',
      `also store each token's top-k logprobs (0-${DEFAULTS.maxTopLogprobs}; OpenAI, OpenAI-compatible, Ollama, ` +
        'lab): the logprobs signal of phylo tree',
    )
    .option('--concurrency <n>', "requests in flight per provider (default: the profile's rateLimit.maxConcurrency)")
    .option('--timeout <ms>', "per-request timeout in milliseconds (default: the profile's timeoutMs)")
    .option('--retries <n>', `retries per sample after the first attempt (default ${DEFAULTS.retries})`)
    .option(
      '--seed <n>',
      'run seed (default 0, stored with the run): each sample sends a seed derived from it, the model, the probe and ' +
        'the sample index (OpenAI seed, Ollama options.seed, lab; Anthropic has none)',
    )
    .option('--fresh', 'request every sample again instead of reading the response cache (it is still written)')
    .option(
      '--max-retry-wait <s>',
      `longest Retry-After wait honoured, in seconds (default ${DEFAULT_MAX_RETRY_WAIT_MS / 1000}); a longer one ` +
        'fails the sample as rate_limit (a resume retries it)',
    )
    .option(
      '--batch',
      "send the run through the vendors' batch APIs (OpenAI Batch, Anthropic Message Batches): half price, " +
        'answers within 24 h; re-run the same command to resume polling (nothing is submitted twice)',
    )
    .option('--batch-poll <s>', 'seconds between two polls of the live batches (default 30)')
    .option('--wait', 'when another process is collecting this run name, wait for it to finish instead of exit 2')
    .option('--retry-errors', 'on resume, also re-request samples that failed permanently (bad_request, unsupported)')
    .option(...RESULTS_OPTION)
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ phylo run --suite core --models openai:gpt-4o-mini,ollama:llama3.2 --samples 3\n' +
        '  $ phylo run --suite core --models replay:gpt4_0613 --name offline   # from an imported run, no network\n' +
        '  $ phylo run --suite core --models ollama:llama3.2,ollama:qwen2.5 --logprobs 20\n' +
        '      # then: phylo tree RUN --signal logprobs\n' +
        '  $ phylo run --name core-20250101-120000 --suite core --models openai:gpt-4o-mini   # resume\n' +
        '  $ phylo run --suite core --models openai:gpt-4o-mini --fresh --seed 8 --name june\n' +
        '      # an independent second sample of the same model (for phylo audit drift may june)\n' +
        '  $ phylo run --suite core --models openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest \\\n' +
        '      --batch --name big\n' +
        '      # half price; Ctrl-C or a crash: the same command polls the batches already submitted\n' +
        'Ctrl-C stops cleanly: everything answered is kept; run the same command again to finish.\n' +
        `Exit status: 0 every sample answered, 1 samples failed after every attempt (counts by kind on stderr),\n` +
        '2 bad input, another process collecting the same --name, or a results folder that cannot be written,\n' +
        '130 interrupted. Limits: ' +
        `${MAX_SAMPLES_PER_PROBE} samples per probe, ${MAX_RUN_SAMPLES} samples per run; answers over the ` +
        "profile's maxAnswerBytes (default 1 MB) are cut and marked truncated.\n",
    )
    .action(async (flags: RunOptions) => {
      // Run control (run-config.ts): the config file under the flags, part of the suite, dry run, cost budget.
      const opts = applyRunConfig(flags);
      requireSuiteAndModels(opts);
      const control = runControl(opts);
      const env = process.env;
      const suite = selectProbes(loadSuite(opts.suite), control);
      const models = parseModels(opts.models);
      const temperature = optionalNumber('--temperature', opts.temperature, { min: 0, max: 2 });
      const maxTokens = optionalInteger('--max-tokens', opts.maxTokens, { min: 1 });
      // The most OpenAI's chat API returns (top_logprobs); the sampling field is part of every cache key.
      const topLogprobs = optionalInteger('--logprobs', opts.logprobs, { min: 0, max: DEFAULTS.maxTopLogprobs });
      const seed = optionalInteger('--seed', opts.seed, { min: 0, max: 2 ** 32 - 1 });
      const maxRetryWaitS = optionalNumber('--max-retry-wait', opts.maxRetryWait, { min: 0, max: MAX_RETRY_WAIT_S });
      const results = resultsDir(opts.results);
      const profiles = loadProfiles(profilesDir(env));
      const samples = optionalInteger('--samples', opts.samples, { min: 1 });
      const adaptive = control.adaptive && { ...control.adaptive, samples: samples ?? suite.defaults.samples };
      if (control.dryRun) {
        const name = runName(opts.name ?? defaultRunName(suite.name));
        const { maxCostUsd } = control;
        const request = { name, suite, models, samples, profiles, registry: providerRegistry, maxCostUsd, adaptive };
        printDryRun(request, opts.json === true);
        return;
      }
      const guard = control.maxCostUsd === undefined ? undefined : costGuard(control.maxCostUsd);
      const reporter = startProgressReporter({ quiet: opts.quiet });
      let opened: SqliteStore | undefined;
      try {
        const name = runName(opts.name ?? defaultRunName(suite.name));
        // Every provider is resolved before anything is stored: an unknown prefix or a missing key is one line, exit 2.
        const request = {
          store: () => {
            opened = openStore(results);
            // A plain run must not resume an adaptive one: it would ask every probe the full count.
            if (!adaptive) refuseAdaptiveResume(opened, name);
            return opened;
          },
          name,
          suite,
          models,
          sampling: { temperature, maxTokens, topLogprobs, seed },
          providerFor: (prefix: string) =>
            providerRegistry.resolveProvider(prefix, { env, profiles, resultsDir: results }),
          env,
          concurrency: optionalInteger('--concurrency', opts.concurrency, { min: 1 }),
          timeoutMs: optionalInteger('--timeout', opts.timeout, { min: 1 }),
          retries: optionalInteger('--retries', opts.retries, { min: 0 }),
          retryAllErrors: opts.retryErrors,
          maxRetryWaitMs: maxRetryWaitS === undefined ? undefined : maxRetryWaitS * 1000,
          fresh: opts.fresh,
          batch: opts.batch
            ? { pollMs: 1000 * (optionalNumber('--batch-poll', opts.batchPoll, { min: 0.01 }) ?? 30) }
            : undefined,
          listeners: guard ? [reporter.listener, guard.listener] : [reporter.listener],
        };
        const say = (line: string): void => {
          if (!opts.quiet) process.stderr.write(`${oneLine(line)}\n`);
        };
        let adaptiveRun: AdaptiveLaunch | undefined;
        const launch = (): LaunchedRun => {
          if (!adaptive) return launchCollection({ ...request, samples });
          adaptiveRun = launchAdaptive({ ...request, adaptive, onPhase: (e) => say(adaptivePhaseLine(e)) });
          return adaptiveRun;
        };
        const { store, prepared, collection } = await launchOrWait(launch, opts.wait === true, () => {
          opened?.close();
          opened = undefined;
        });
        guard?.attach(() => collection.cancel());
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
        const plan = adaptiveRun?.plan();
        const json = { ...result, resumed: prepared.resumed, results, ...(plan ? { adaptive: plan } : {}) };
        if (opts.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        else process.stdout.write(`${formatResult(result, prepared.resumed)}\n`);
        if (!result.cancelled) reportIncomplete(store, name);
        if (result.cancelled) {
          const kept = store.samplesOf(name).length;
          process.stderr.write(
            `kept ${kept} samples of run ${name}; resume with: ` +
              `phylo run --name ${name} --suite ${opts.suite} --models ${models.join(',')}` +
              `${adaptive ? ` ${adaptiveFlags(adaptive)}` : ''}\n`,
          );
          process.exitCode = EXIT_INTERRUPTED;
          const reached = guard?.reached();
          if (reached) {
            process.stderr.write(`${budgetLine(reached, name)}\n`);
            process.exitCode = EXIT_BUDGET_REACHED;
          }
        }
      } finally {
        reporter.stop();
        opened?.close();
      }
    });
}
