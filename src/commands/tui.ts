// `phylo tui`: the interactive app (also what a bare `phylo` starts in a terminal), with the usual --results.
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION } from '../core/options.js';

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
      if (!process.stdout.isTTY || !process.stdin.isTTY) throw new InputError('phylo tui needs a terminal (stdin and stdout a TTY); use the subcommands in scripts (phylo --help)');
      // React's development build checks every render; the app is a product, not a React dev session.
      process.env.NODE_ENV ??= 'production';
      const { startApp } = await import('../tui/app.js');
      await startApp({ resultsDir: opts.results });
    });
}
