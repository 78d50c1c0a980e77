// `phylo report RUN`: one self-contained HTML file (opens from disk, fetches nothing) with the run's summary, trees,
// heatmaps, maps, traits, optional genotype and audit verdicts, and the evidence; every figure also as an .svg.
import path from 'node:path';
import type { Command } from 'commander';
import { SIGNALS } from '../analysis/signals/index.js';
import { readBenchmarkScores, scoredModels } from '../core/benchmark-scores.js';
import { InputError } from '../core/errors.js';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { runName } from '../core/refs.js';
import type { RunData } from '../core/run.js';
import { oneLine } from '../core/sanitize.js';
import { REPORT_DEFAULTS, writeReport } from '../report/index.js';
import { openStoreReadonly } from '../store/sqlite.js';
import { readFamilies } from '../core/families.js';
import { parseInteger } from '../core/parse-number.js';

interface ReportFlags {
  signal?: string[];
  labels?: string;
  genotype?: string[];
  audit?: string[];
  scores?: string;
  column?: string;
  out?: string;
  bootstrap: string;
  seed: string;
  evidence: string;
  trim: string;
  results?: string;
  json?: boolean;
}

/** The command that makes the same report (the footer shows it): the run and every flag given. */
function commandLine(run: string, flags: ReportFlags): string {
  const parts = ['phylo', 'report', run];
  const list = (flag: string, values: string[] | undefined) => {
    if (values && values.length > 0) parts.push(flag, ...values);
  };
  list('--signal', flags.signal);
  if (flags.labels !== undefined) parts.push('--labels', flags.labels);
  list('--genotype', flags.genotype);
  list('--audit', flags.audit);
  if (flags.scores !== undefined) parts.push('--scores', flags.scores, '--column', flags.column ?? '');
  const numbers: [string, string, number][] = [
    ['--bootstrap', flags.bootstrap, REPORT_DEFAULTS.bootstrap],
    ['--seed', flags.seed, REPORT_DEFAULTS.seed],
    ['--evidence', flags.evidence, REPORT_DEFAULTS.evidenceProbes],
    ['--trim', flags.trim, REPORT_DEFAULTS.trim],
  ];
  for (const [flag, value, fallback] of numbers) if (Number(value) !== fallback) parts.push(flag, value);
  return parts.join(' ');
}

export function register(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML report of a stored run (trees, heatmaps, maps, traits, evidence)')
    .argument('<run>', 'run name (see phylo runs)')
    .option('--signal <signal...>', `signals to draw, one tree each: ${SIGNALS.join(' | ')} (default: embed)`)
    .option('--labels <file>', 'FAMILIES.tsv (columns model, family): colour models by family instead of provider')
    .option('--genotype <model...>', 'weights of the models (files, folders or ollama:NAME), at least 3: genotype tree')
    .option('--audit <file...>', 'results of phylo audit ... --json to show the verdicts of')
    .option('--scores <file>', 'TSV of benchmark scores (a "model" column and --column): a prediction section')
    .option('--column <name>', 'the score column of --scores to predict (as phylo predict)')
    .option('--out <file>', 'the HTML file (default: RESULTS/<run>/report.html); figures are written beside it')
    .option('--bootstrap <n>', 'bootstrap replicates for support values (0 = none)', String(REPORT_DEFAULTS.bootstrap))
    .option('--seed <n>', 'seed of the bootstrap', String(REPORT_DEFAULTS.seed))
    .option(
      '--evidence <n>',
      'probes shown with every answer in the evidence section',
      String(REPORT_DEFAULTS.evidenceProbes),
    )
    .option('--trim <chars>', 'characters kept of each answer in the evidence', String(REPORT_DEFAULTS.trim))
    .option(...RESULTS_OPTION)
    .option('--json', 'print where the files went, their size and the time taken as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo report alpaca --labels ../shared/data/alpaca_eval/FAMILIES.tsv --out alpaca.html\n' +
        '  $ phylo report lab-zoo --signal alleles embed \\\n' +
        '      --genotype lab/zoo/base.safetensors lab/zoo/early.safetensors lab/zoo/moby.safetensors\n' +
        '  $ phylo report core-20250101-120000 --audit drift.json equal.json\n' +
        '  $ phylo report alpaca --scores ../shared/data/alpaca_eval/LEADERBOARD.tsv --column lc_win_rate\n' +
        "\nWith --scores, every model's score is predicted from its nearest neighbours in the first signal's\n" +
        'distances, validated by nested leave-one-out, as phylo predict does.\n',
    )
    .action(async (run: string, flags: ReportFlags) => {
      const bootstrap = parseInteger('--bootstrap', flags.bootstrap, { min: 0 });
      const seed = parseInteger('--seed', flags.seed, { min: 0 });
      const evidenceProbes = parseInteger('--evidence', flags.evidence, { min: 0 });
      const trim = parseInteger('--trim', flags.trim, { min: 20 });
      const families = flags.labels !== undefined ? readFamilies(flags.labels) : undefined;
      if ((flags.scores === undefined) !== (flags.column === undefined))
        throw new InputError('phylo report: give --scores FILE.tsv and --column NAME together');
      const scores =
        flags.scores !== undefined && flags.column !== undefined
          ? readBenchmarkScores(flags.scores, flags.column)
          : undefined;
      const dir = resultsDir(flags.results);
      const name = runName(run);
      const store = openStoreReadonly(dir);
      let data: RunData;
      try {
        data = store.loadRun(name);
      } finally {
        store.close();
      }
      // Checked on the run's models before the (slow) analysis; again on the models with answers when predicting.
      if (scores) scoredModels(data.run.models, scores, name);
      const out = path.resolve(flags.out ?? path.join(dir, name, 'report.html'));
      const written = await writeReport({
        data,
        out,
        signals: flags.signal,
        families,
        scores,
        genotype: flags.genotype,
        audits: flags.audit,
        bootstrap,
        seed,
        evidenceProbes,
        trim,
        command: commandLine(name, flags),
        onProgress: (stage) => process.stderr.write(`${oneLine(stage)}\n`),
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(written, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `wrote ${written.file} (${(written.bytes / 1024).toFixed(0)} KB, ` +
          `${written.figures.length} figures beside it) ` +
          `in ${(written.seconds.analysis + written.seconds.render).toFixed(1)} s\n`,
      );
    });
}
