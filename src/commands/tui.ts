// `phylo tui`: the interactive app (also what a bare `phylo` starts in a terminal), with the usual --results.
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION } from '../core/options.js';
import { type BenchmarkScores, readBenchmarkScores } from '../core/benchmark-scores.js';

/**
 * Start the interactive app in this terminal (bare `phylo` and `phylo tui`). Environment set before ink loads:
 * React's production build (the development build checks every render), and no `CI` variable: ink draws only a
 * final frame when it believes it runs in CI, and a user who starts the app in a terminal wants to see it.
 */
export async function launchApp(resultsDir?: string, scores?: BenchmarkScores): Promise<void> {
  process.env.NODE_ENV ??= 'production';
  delete process.env.CI;
  const { startApp } = await import('../tui/app.js');
  await startApp({ resultsDir, scores });
}

export function register(program: Command): void {
  program
    .command('tui')
    .description('open the interactive app: pick models and a suite, watch the run, read the tree and the evidence')
    .option(...RESULTS_OPTION)
    .option('--scores <file>', 'TSV of benchmark scores (a "model" column and --column): the predict tab shows them')
    .option('--column <name>', 'the score column of --scores to predict (as phylo predict)')
    .addHelpText(
      'after',
      '\nKeys: ? on any screen lists them. NO_COLOR=1 turns colour off; PHYLO_SUITES=DIR offers your own suites.\n' +
        '\nExamples:\n  $ phylo tui\n  $ phylo tui --results ./results\n' +
        '  $ phylo tui --scores ../shared/data/alpaca_eval/LEADERBOARD.tsv --column lc_win_rate\n' +
        '  $ phylo            (the same, when run in a terminal)\n',
    )
    .action(async (opts: { results?: string; scores?: string; column?: string }) => {
      if (!process.stdout.isTTY || !process.stdin.isTTY)
        throw new InputError(
          'phylo tui needs a terminal (stdin and stdout a TTY); use the subcommands in scripts (phylo --help)',
        );
      if ((opts.scores === undefined) !== (opts.column === undefined))
        throw new InputError('phylo tui: give --scores FILE.tsv and --column NAME together');
      // Read (and checked) before the app starts, so a bad file is one line and exit 2, not a broken screen.
      const scores =
        opts.scores !== undefined && opts.column !== undefined
          ? readBenchmarkScores(opts.scores, opts.column)
          : undefined;
      await launchApp(opts.results, scores);
    });
}
