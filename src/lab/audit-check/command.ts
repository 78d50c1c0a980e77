// `phylo lab audit-check`: registered under `phylo lab` by src/commands/lab.ts; flags parsed here, the work done in
// check.ts, printed by report.ts (or as JSON).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { parseNewick } from '../../phylo/newick.js';
import { loadSuite } from '../../probes/load.js';
import { zooDirFrom } from '../provider.js';
import { TRUTH_FILE } from '../zoo.js';
import { runAuditCheck } from './check.js';
import { defaultWorkers } from './collect.js';
import { auditCheckText } from './report.js';
import { parseInteger } from '../../core/parse-number.js';

/** The fewest shared probes the equality test accepts (src/audit/equality.ts). */
const MIN_QUERIES = 5;

async function readTruth(zooDir: string) {
  const file = path.join(zooDir, TRUTH_FILE);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new InputError(`zoo ${zooDir}: no ${TRUTH_FILE}; train the zoo with "phylo lab train --out ${zooDir}"`);
  });
  return parseNewick(text, file);
}

interface Flags {
  json?: boolean;
  seed: string;
  queries: string;
  nullTests: string;
  budgets: string;
  replicates: string;
  permutations: string;
  workers?: string;
  zoo?: string;
  suite: string;
  quiet?: boolean;
}

export function registerAuditCheck(lab: Command): void {
  lab
    .command('audit-check')
    .description(
      'calibration and power of the equality test on the zoo: false positives over null tests, power against ' +
        'siblings, cousins and int8/int4 substitutes, a budget curve, and identification (collects afresh)',
    )
    .option('--json', 'print the report as JSON')
    .option('--seed <n>', 'seed of every collection and permutation', '1')
    .option('--queries <n>', 'queries per model of the null tests, headline power and identification', '100')
    .option('--null-tests <n>', 'null tests (same leaf, two collections with different seeds)', '200')
    .option('--budgets <list>', 'queries per model of the budget curve', '50,100,200,500')
    .option('--replicates <n>', 'power collections per leaf and substitute (tests per alternative: leaves x this)', '3')
    .option('--permutations <n>', 'permutations per test', '1000')
    .option('--workers <n>', 'collection threads (0: in the main thread; default one per core)')
    .option('--zoo <dir>', 'zoo folder (default: $PHYLO_LAB_ZOO or the shipped lab/zoo)')
    .option('--suite <suite>', 'probe suite whose `gene` probes are the queries', 'lab')
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo lab audit-check                     # the full check (a few minutes)\n' +
        '  $ phylo lab audit-check --json --seed 2 --null-tests 40 --budgets 50,100 --replicates 1\n',
    )
    .action(async (opts: Flags) => {
      const queries = parseInteger('--queries', opts.queries, { min: MIN_QUERIES });
      const budgets = opts.budgets.split(',').map((b) => parseInteger('--budgets', b.trim(), { min: MIN_QUERIES }));
      const zooDir = opts.zoo ? path.resolve(opts.zoo) : zooDirFrom();
      const suite = loadSuite(opts.suite);
      if (!suite.probes.some((p) => p.tags.includes('gene') && p.prompt.kind === 'prefix'))
        throw new InputError(`suite ${opts.suite}: no prefix probes tagged gene; the audit check queries genes`);
      const report = await runAuditCheck({
        zooDir,
        truth: await readTruth(zooDir),
        suite,
        seed: parseInteger('--seed', opts.seed, { min: 0 }),
        queries,
        nullTests: parseInteger('--null-tests', opts.nullTests, { min: 1 }),
        budgets,
        replicates: parseInteger('--replicates', opts.replicates, { min: 1 }),
        permutations: parseInteger('--permutations', opts.permutations, { min: 1 }),
        workers: opts.workers === undefined ? defaultWorkers() : parseInteger('--workers', opts.workers, { min: 0 }),
        onStage: (line) => {
          if (!opts.quiet) process.stderr.write(`audit-check: ${line}\n`);
        },
      });
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : auditCheckText(report));
    });
}
