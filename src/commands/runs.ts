// `phylo runs`: the runs stored in a results folder.
import type { Command } from 'commander';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { openStore } from '../store/sqlite.js';
import { formatTable } from './show.js';

export function register(program: Command): void {
  program
    .command('runs')
    .description('list the runs stored in the results folder')
    .option(...RESULTS_OPTION)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ phylo runs\n  $ phylo runs --results ./results --json\n')
    .action((opts: { results?: string; json?: boolean }) => {
      const store = openStore(resultsDir(opts.results));
      try {
        const runs = store.listRuns();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
          return;
        }
        if (runs.length === 0) {
          process.stdout.write(`no runs in ${store.file}; start one with: phylo run --suite core --models lab:base\n`);
          return;
        }
        const rows = runs.map((r) => [
          r.name,
          r.suite,
          String(r.models),
          String(r.probes),
          String(r.samples),
          String(r.errors),
          r.status,
          r.updatedAt,
        ]);
        process.stdout.write(
          formatTable(
            ['run', 'suite', 'models', 'probes', 'samples', 'errors', 'status', 'updated'],
            rows,
            new Set([2, 3, 4, 5]),
          ),
        );
      } finally {
        store.close();
      }
    });
}
