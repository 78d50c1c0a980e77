// `phylo import alpaca-eval DIR` and `phylo import jsonl FILE`: bring recorded responses in as a run whose models
// are `replay:<name>`, ready for analysis or offline re-collection.
import type { Command } from 'commander';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { oneLine } from '../core/sanitize.js';
import { importAlpacaEval, type ImportReport } from '../store/import-alpaca-eval.js';
import { importJsonl } from '../store/import-jsonl.js';
import { openStore } from '../store/sqlite.js';

interface ImportOptions {
  name?: string;
  replace?: boolean;
  results?: string;
  json?: boolean;
}

function report(r: ImportReport, json: boolean | undefined): void {
  for (const w of r.warnings) process.stderr.write(`warning: ${oneLine(w)}\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const lines = [`imported run ${r.run}: ${r.models} models, ${r.probes} probes, ${r.samples} samples`];
  for (const [m, n] of Object.entries(r.missing)) lines.push(`  ${m}: ${n} missing`);
  for (const [m, n] of Object.entries(r.empty)) lines.push(`  ${m}: ${n} empty answers (kept)`);
  lines.push(`see it with: phylo show ${r.run}`);
  process.stdout.write(`${lines.map(oneLine).join('\n')}\n`);
}

export function register(program: Command): void {
  const cmd = program.command('import').description('import recorded responses as a run (models become replay:<name>)');
  cmd
    .command('alpaca-eval')
    .description('import AlpacaEval results: DIR/<model>/model_outputs.json for every model folder')
    .argument('<dir>', "AlpacaEval's results/ folder")
    .option('--name <name>', 'run name (default: the folder name)')
    .option('--replace', 'replace a run of the same name')
    .option(...RESULTS_OPTION)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo import alpaca-eval ../shared/data/alpaca_eval --name alpaca\n  $ phylo show alpaca\n',
    )
    .action((dir: string, opts: ImportOptions) => {
      const store = openStore(resultsDir(opts.results));
      try {
        process.stderr.write(`reading ${dir}...\n`);
        report(importAlpacaEval(store, dir, { name: opts.name, replace: opts.replace }), opts.json);
      } finally {
        store.close();
      }
    });
  cmd
    .command('jsonl')
    .description('import samples from JSON Lines: {model, probe|prompt, text, index?, tokens?, latency?} per line')
    .argument('<file>', 'a .jsonl file (phylo export --format jsonl writes one)')
    .option('--name <name>', 'run name (default: the file name)')
    .option('--replace', 'replace a run of the same name')
    .option(...RESULTS_OPTION)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ phylo import jsonl responses.jsonl --name vendor-check\n' +
        '  $ echo \'{"model":"m1","prompt":"hi","text":"hello"}\' > one.jsonl && phylo import jsonl one.jsonl\n',
    )
    .action(async (file: string, opts: ImportOptions) => {
      const store = openStore(resultsDir(opts.results));
      try {
        report(await importJsonl(store, file, { name: opts.name, replace: opts.replace }), opts.json);
      } finally {
        store.close();
      }
    });
}
