// `phylo suites`: list the probe suites (built-in, or in a folder), or validate and show one suite.
import type { Command } from 'commander';
import { oneLine } from '../core/sanitize.js';
import type { Probe, Suite } from '../core/types.js';
import { listSuites, loadSuite, SUITE_LIMITS_HELP, suitesDir, type SuiteListing } from '../probes/load.js';

export function register(program: Command): void {
  program
    .command('suites')
    .description('list probe suites, or validate and show one suite (a built-in name or a .yaml/.json file)')
    .argument('[suite]', 'a suite name (e.g. core) or a path to a suite file to check and show')
    .option('--dir <dir>', 'list the suites in this folder instead of the built-in ones')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\n${SUITE_LIMITS_HELP}\n` +
        '\nExamples:\n' +
        '  $ phylo suites\n' +
        '  $ phylo suites core --json\n' +
        '  $ phylo suites ./my-probes.yaml      # validate a suite file: exit 2 with one line if it is malformed\n',
    )
    .action((suite: string | undefined, opts: { dir?: string; json?: boolean }) => {
      if (suite !== undefined) {
        const loaded = loadSuite(suite);
        process.stdout.write(opts.json ? `${JSON.stringify(loaded, null, 2)}\n` : formatSuite(loaded));
        return;
      }
      const suites = listSuites(opts.dir ?? suitesDir());
      process.stdout.write(opts.json ? `${JSON.stringify(suites, null, 2)}\n` : formatListing(suites));
    });
}

export function formatListing(suites: readonly SuiteListing[]): string {
  if (suites.length === 0) return 'no suites found\n';
  const width = Math.max(...suites.map((s) => s.name.length));
  return suites
    .map((s) =>
      [
        `${s.name.padEnd(width)}  v${oneLine(s.version)}  ${s.probes} probes  ${oneLine(s.file)}`,
        `${' '.repeat(width)}  ${oneLine(s.description)}`,
        `${' '.repeat(width)}  tags: ${s.tags.map(oneLine).join(', ')}`,
      ].join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}

export function formatSuite(suite: Suite): string {
  const d = suite.defaults;
  const head = [
    `${oneLine(suite.name)} v${oneLine(suite.version)}: ${suite.probes.length} probes`,
    oneLine(suite.description),
    `defaults: temperature ${d.sampling.temperature}, max_tokens ${d.sampling.maxTokens}, samples ${d.samples}` +
      (d.sampling.topP !== undefined ? `, top_p ${d.sampling.topP}` : '') +
      (d.sampling.seed !== undefined ? `, seed ${d.sampling.seed}` : ''),
    '',
  ];
  const width = Math.max(...suite.probes.map((p) => p.id.length));
  const rows = suite.probes.map(
    (p) =>
      `${oneLine(p.id).padEnd(width)}  ${oneLine(p.tags.join(',')).padEnd(24)}  ${p.answer ? 'A' : ' '}  ${preview(p)}`,
  );
  return [...head, ...rows, ''].join('\n');
}

/** The text the model is asked about: the last user message, or the prefix; one line, at most 60 characters. */
function preview(p: Probe): string {
  const text =
    p.prompt.kind === 'prefix'
      ? p.prompt.prefix
      : ([...p.prompt.messages].reverse().find((m) => m.role === 'user')?.content ?? '');
  const line = oneLine(text);
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
