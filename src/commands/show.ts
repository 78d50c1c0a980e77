// `phylo show RUN`: per model, samples answered, missing, failed by kind, tokens, cost and latency percentiles.
import type { Command } from 'commander';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { runName } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import { openStore } from '../store/sqlite.js';
import { summarizeRun, type RunSummary } from '../store/summary.js';
import { formatCost, formatMs } from '../core/format.js';

/** Columns padded to their widest cell; `right` lists the columns to right-align (numbers). */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number> = new Set(),
): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => oneLine(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

export function formatSummary(s: RunSummary): string {
  const head = [
    `run ${s.run}: suite ${s.suite}, ${s.probes} probes x ${s.samplesPerProbe} samples, ` +
      `${s.models.length} models, ${s.status} (${s.origin})`,
    `created ${s.createdAt}, updated ${s.updatedAt}`,
    '',
  ].map(oneLine);
  const rows = s.models.map((m) => {
    const errors = Object.entries(m.errors)
      .map(([k, n]) => `${k}:${n}`)
      .join(' ');
    const lat = m.latencyMs
      ? `${formatMs(m.latencyMs.p50)}/${formatMs(m.latencyMs.p90)}/${formatMs(m.latencyMs.p99)}`
      : '--';
    return [
      m.model,
      `${m.ok}/${m.expected}`,
      String(m.empty),
      String(m.missing),
      errors || '-',
      String(m.inputTokens),
      String(m.outputTokens),
      formatCost(m.costUsd),
      lat,
    ];
  });
  const table = formatTable(
    ['model', 'ok', 'empty', 'missing', 'errors', 'tok in', 'tok out', 'cost', 'p50/p90/p99'],
    rows,
    new Set([1, 2, 3, 5, 6, 7]),
  );
  const missing = s.models
    .filter((m) => m.missing > 0)
    .map(
      (m) =>
        `${oneLine(m.model)} misses ${m.missing}: ${m.missingProbes.map(oneLine).join(', ')}` +
        `${m.missingProbes.length < m.missing && m.missingProbes.length >= 20 ? ', ...' : ''}`,
    );
  return (
    head.join('\n') +
    '\n' +
    table +
    (missing.length > 0 ? `\nmissing samples:\n${missing.map((l) => `  ${l}`).join('\n')}\n` : '')
  );
}

export function register(program: Command): void {
  program
    .command('show')
    .description('summarise a stored run per model: ok, missing, errors by kind, tokens, cost, latency p50/p90/p99')
    .argument('<run>', 'run name (see phylo runs)')
    .option(...RESULTS_OPTION)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo show core-20250101-120000\n  $ phylo show alpaca_eval --json --results ./results\n',
    )
    .action((run: string, opts: { results?: string; json?: boolean }) => {
      const store = openStore(resultsDir(opts.results));
      try {
        const summary = summarizeRun(store.loadRun(runName(run)));
        process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      } finally {
        store.close();
      }
    });
}
