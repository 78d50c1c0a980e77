// `phylo export RUN --format jsonl|csv [--out FILE]`: a run's samples with their prompts, one row each.
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { runName } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import { EXPORT_FORMATS, writeExport, type ExportFormat } from '../store/export.js';
import { openStore } from '../store/sqlite.js';

/** Told on stderr when CSV goes to a terminal, which gets the cells with their control sequences stripped. */
const STRIPPED_NOTE = ' (control sequences stripped for the terminal; use --out for the bytes)';

export function register(program: Command): void {
  program
    .command('export')
    .description("export a run's samples as JSON Lines or CSV (to stdout, or --out FILE)")
    .argument('<run>', 'run name (see phylo runs)')
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--out <file>', 'write here instead of stdout')
    .option(...RESULTS_OPTION)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ phylo export core-20250101-120000 --format csv --out samples.csv\n' +
        '  $ phylo export alpaca_eval | head -n 3\n',
    )
    .action(async (run: string, opts: { format: string; out?: string; results?: string }) => {
      if (!EXPORT_FORMATS.includes(opts.format as ExportFormat))
        throw new InputError(`--format ${opts.format}: use jsonl or csv`);
      if (!opts.out) {
        // `phylo export RUN | head`: the reader left; stop quietly instead of dying on EPIPE.
        process.stdout.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'EPIPE') process.exit(0);
          throw err;
        });
      }
      const store = openStore(resultsDir(opts.results));
      try {
        const data = store.loadRun(runName(run));
        // Answers are untrusted: to a terminal, CSV goes out with escape sequences stripped and bidi controls shown
        // (a file or a pipe gets the bytes as stored; JSONL is escaped either way).
        const terminal = opts.out === undefined && process.stdout.isTTY === true;
        const rows = await writeExport(data, opts.format as ExportFormat, opts.out ?? process.stdout, { terminal });
        process.stderr.write(
          `exported ${rows} samples of ${oneLine(data.run.name)}${opts.out ? ` to ${oneLine(opts.out)}` : ''}` +
            `${terminal && opts.format === 'csv' ? STRIPPED_NOTE : ''}\n`,
        );
      } finally {
        store.close();
      }
    });
}
