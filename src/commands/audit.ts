// `phylo audit equal | drift | identify`: the auditor's three questions answered with a test and a p-value
// (src/audit/). Exit 0 = no difference found, 1 = a difference (a failed audit), 2 = bad input.
import type { Command } from 'commander';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { runName } from '../core/refs.js';
import { EXIT_BAD_INPUT, EXIT_FINDING, EXIT_OK } from '../core/errors.js';
import { oneLine } from '../core/sanitize.js';
import { optionalInteger, optionalNumber } from '../core/parse-number.js';
import { openStore } from '../store/sqlite.js';
import type { RunStore } from '../store/api.js';
import { testEquality, type EqualityOptions } from '../audit/equality.js';
import { auditDrift } from '../audit/drift.js';
import { identifyModel } from '../audit/identify.js';
import { modelSamples, runSamples } from '../audit/model-samples.js';
import { DEFAULT_SIGNAL, SIGNALS } from '../analysis/signals/index.js';
import { formatDrift, formatEquality, formatIdentification } from '../audit/format.js';

interface TestFlags {
  results?: string;
  alpha?: string;
  permutations?: string;
  seed?: string;
  json?: boolean;
}

function equalityOptions(flags: TestFlags): EqualityOptions {
  return {
    alpha: optionalNumber('--alpha', flags.alpha, { min: 0, max: 1 }),
    permutations: optionalInteger('--permutations', flags.permutations, { min: 1, max: 1_000_000 }),
    seed: optionalInteger('--seed', flags.seed, { min: 0, max: 2 ** 32 - 1 }),
  };
}

function withStore<T>(flags: TestFlags, fn: (store: RunStore) => T): T {
  const store = openStore(resultsDir(flags.results));
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function print(flags: TestFlags, json: unknown, text: string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : text);
}

function testOptions(cmd: Command): Command {
  return cmd
    .option(...RESULTS_OPTION)
    .option('--alpha <a>', 'significance level (default 0.05)')
    .option('--permutations <n>', 'permutations within probes (default 1000)')
    .option('--seed <n>', 'seed of the permutations and bootstraps (default 1)')
    .option('--json', 'print JSON');
}

export function register(program: Command): void {
  const audit = program
    .command('audit')
    .description('audit verdicts with p-values: is it the same model? did it change? which model is it?');

  testOptions(
    audit
      .command('equal')
      .description(
        'do models A and B answer from the same distribution? kernel two-sample test over their shared probes, ' +
          'p-value by permutation within probes; exit 1 when they differ at --alpha',
      )
      .argument('<a>', 'model ref in --run')
      .argument('<b>', 'model ref in --run (or in --run-b)')
      .requiredOption('--run <run>', 'run holding A (and B)')
      .option('--run-b <run>', 'run holding B (default: --run)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo audit equal replay:gpt-3.5-turbo-0613 replay:gpt-3.5-turbo-1106 --run alpaca\n' +
        '  $ phylo audit equal lab:sotu-1900s lab:sotu-1900s --run may --run-b june --json\n',
    )
    .action((a: string, b: string, flags: TestFlags & { run: string; runB?: string }) => {
      const options = equalityOptions(flags);
      const result = withStore(flags, (store) => {
        const runA = store.loadRun(runName(flags.run));
        const runB = flags.runB && flags.runB !== flags.run ? store.loadRun(runName(flags.runB)) : runA;
        return testEquality(modelSamples(runA, a), modelSamples(runB, b), options);
      });
      print(flags, result, formatEquality(result));
      process.exitCode = result.reject ? EXIT_FINDING : EXIT_OK;
    });

  testOptions(
    audit
      .command('drift')
      .description(
        'did the models change between two runs? the equality test for every model in both, p-values ' +
          'Holm-adjusted over the models, with the most-changed probes and trait deltas; exit 1 if any drifted',
      )
      .argument('<old>', 'the earlier run')
      .argument('<new>', 'the later run'),
  )
    .addHelpText('after', '\nExamples:\n  $ phylo audit drift may june\n  $ phylo audit drift may june --json\n')
    .action((oldRun: string, newRun: string, flags: TestFlags) => {
      const options = equalityOptions(flags);
      const report = withStore(flags, (store) =>
        auditDrift(runSamples(store.loadRun(runName(oldRun))), runSamples(store.loadRun(runName(newRun))), options),
      );
      print(flags, report, formatDrift(report));
      process.exitCode = report.models.some((m) => m.reject) ? EXIT_FINDING : EXIT_OK;
    });

  testOptions(
    audit
      .command('identify')
      .description(
        'which reference model is TARGET? rank the models of --against by the analysis signal over shared ' +
          "probes, the top-1's bootstrap confidence, and the equality test against it; exit 1 when even the " +
          'top-1 differs, 2 when no test is possible',
      )
      .argument('<target>', 'model ref in --run')
      .requiredOption('--run <run>', 'run holding the target')
      .requiredOption('--against <run>', 'run holding the reference models (the target itself is left out)')
      .option('--signal <signal>', `analysis signal to rank by: ${SIGNALS.join(', ')} (default ${DEFAULT_SIGNAL})`),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo audit identify replay:vicuna-7b-v1.5 --run alpaca --against alpaca\n' +
        '  $ phylo audit identify openai:my-endpoint --run endpoint --against zoo --json\n',
    )
    .action((target: string, flags: TestFlags & { run: string; against: string; signal?: string }) => {
      const options = { ...equalityOptions(flags), signal: flags.signal };
      const id = withStore(flags, (store) => {
        const run = store.loadRun(runName(flags.run));
        const ref = flags.against === flags.run ? run : store.loadRun(runName(flags.against));
        return identifyModel(modelSamples(run, target), ref, options);
      });
      print(flags, id, formatIdentification(id));
      // The ranking is printed either way; without an equality test (too few shared probes) the input was too thin.
      if (!id.equal) process.stderr.write(`phylo: ${oneLine(id.equalError ?? 'no equality test')}\n`);
      process.exitCode = !id.equal ? EXIT_BAD_INPUT : id.equal.reject ? EXIT_FINDING : EXIT_OK;
    });
}
