// `phylo tui`: the interactive app (also what a bare `phylo` starts in a terminal), with the usual --results.
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION } from '../core/options.js';

/**
 * Start the interactive app in this terminal (bare `phylo` and `phylo tui`). Environment set before ink loads:
 * React's production build (the development build checks every render), and no `CI` variable: ink draws only a
 * final frame when it believes it runs in CI, and a user who starts the app in a terminal wants to see it.
 */
export async function launchApp(resultsDir?: string): Promise<void> {
  process.env.NODE_ENV ??= 'production';
  delete process.env.CI;
  const { startApp } = await import('../tui/app.js');
  await startApp({ resultsDir });
}

export function register(program: Command): void {
  program
    .command('tui')
    .description('open the interactive app: pick models and a suite, watch the run, read the tree and the evidence')
    .option(...RESULTS_OPTION)
    .addHelpText(
      'after',
      '\nKeys: ? on any screen lists them. NO_COLOR=1 turns colour off; PHYLO_SUITES=DIR offers your own suites.\n\nExamples:\n  $ phylo tui\n  $ phylo tui --results ./results\n  $ phylo            (the same, when run in a terminal)\n',
    )
    .action(async (opts: { results?: string }) => {
      if (!process.stdout.isTTY || !process.stdin.isTTY)
        throw new InputError(
          'phylo tui needs a terminal (stdin and stdout a TTY); use the subcommands in scripts (phylo --help)',
        );
      await launchApp(opts.results);
    });
}
