// `phylo show RUN`: per model, samples answered, missing, failed by kind, tokens, cost and latency percentiles.
import type { Command } from 'commander';
import { RESULTS_OPTION, resultsDir } from '../core/options.js';
import { runName } from '../core/refs.js';
import { oneLine } from '../core/sanitize.js';
import { type ModelProvenance, type ProvenanceChange, provenanceChanges, provenanceOf } from '../store/provenance.js';
import { openStore } from '../store/sqlite.js';
import { summarizeRun, type RunSummary } from '../store/summary.js';
import { batchLines, formatBatches } from './show-batches.js';
import { formatCost, formatMs } from '../core/format.js';
import { phaseSuite } from '../collect/adaptive-plan.js';
import type { RunData } from '../core/run.js';
import type { AdaptivePlanRecord, StoredProbeScore } from '../store/probe-scores.js';
import { formatF } from './run-adaptive.js';
import { formatAdaptivePlan } from './run-plan.js';

/** Probes listed by `phylo show` of an adaptive run (the best by F; --json has them all). */
const SHOWN_SCORES = 10;

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

export function formatSummary(s: RunSummary, adaptive?: AdaptivePlanRecord): string {
  // An adaptive run asks each probe the pilot's count, and the chosen ones the plan's.
  const samples = adaptive
    ? `${adaptive.pilotSamples} samples (the ${adaptive.chosen ?? adaptive.selected} ` +
      `${adaptive.divergence === undefined ? 'best, once chosen' : 'chosen'}: ${adaptive.samples})`
    : `${s.samplesPerProbe} samples`;
  const head = [
    `run ${s.run}: suite ${s.suite}, ${s.probes} probes x ${samples}, ` +
      `${s.models.length} models, ${s.status} (${s.origin})${s.seed !== undefined ? `, seed ${s.seed}` : ''}`,
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
      String(m.cached),
      String(m.missing),
      errors || '-',
      String(m.inputTokens),
      String(m.outputTokens),
      formatCost(m.costUsd),
      lat,
    ];
  });
  const table = formatTable(
    ['model', 'ok', 'empty', 'cached', 'missing', 'errors', 'tok in', 'tok out', 'cost', 'p50/p90/p99'],
    rows,
    new Set([1, 2, 3, 4, 6, 7, 8]),
  );
  const ok = s.models.reduce((a, m) => a + m.ok, 0);
  const cached = s.models.reduce((a, m) => a + m.cached, 0);
  const cacheLine =
    `\n${cached} of ${ok} answered samples came from the response cache, ` + `${ok - cached} were requested\n`;
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
    cacheLine +
    (missing.length > 0 ? `\nmissing samples:\n${missing.map((l) => `  ${l}`).join('\n')}\n` : '')
  );
}

/**
 * An adaptive run as planned: each probe expects the pilot's samples, a chosen one the plan's, so `missing` counts
 * what the plan still has to collect rather than the suite's full count.
 */
function asPlanned(data: RunData, plan: AdaptivePlanRecord, scores: readonly StoredProbeScore[]): RunData {
  const chosen = new Set(scores.filter((s) => s.chosen).map((s) => s.probe));
  return { ...data, run: { ...data.run, suite: phaseSuite(data.run.suite, plan, chosen) } };
}

/** The plan and the best probes with their pilot scores. */
export function formatAdaptive(plan: AdaptivePlanRecord, scores: readonly StoredProbeScore[]): string {
  const head = [
    '',
    formatAdaptivePlan(plan).trim(),
    plan.divergence === undefined
      ? 'pilot not scored yet: run the same command to finish it'
      : `pilot scored by ${plan.divergence}: ${plan.chosen ?? 0} probes chosen` +
        `${plan.seed !== undefined ? `, seed ${plan.seed}` : ''}`,
  ];
  if (scores.length === 0) return `${head.map(oneLine).join('\n')}\n`;
  const fixed = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(4));
  const rows = scores
    .slice(0, SHOWN_SCORES)
    .map((s) => [s.probe, formatF(s.f), fixed(s.between), fixed(s.within), s.chosen ? 'yes' : 'no']);
  const title =
    `probes by F = between-model / within-model divergence (best ${rows.length} of ${scores.length}; ` +
    'phylo show --json lists all):';
  return (
    `${head.map(oneLine).join('\n')}\n${oneLine(title)}\n` +
    formatTable(['probe', 'F', 'between', 'within', 'chosen'], rows, new Set([1, 2, 3]))
  );
}

/** Per model: every answered id and fingerprint with counts and first/last seen; changes flagged with `!`. */
export function formatProvenance(
  provenance: readonly ModelProvenance[],
  changes: readonly ProvenanceChange[] = [],
  against?: string,
): string {
  const lines = ['', 'provenance (what each endpoint said it was):'];
  for (const p of provenance) {
    const where = [...p.baseURLs, ...p.clients].join(', ');
    lines.push(`  ${p.model}${where ? `  (${where})` : ''}`);
    if (p.entries.length === 0) lines.push('    no answered sample');
    for (const e of p.entries)
      lines.push(
        `    answered ${e.servedModel ?? '(no model id)'}  fingerprint ${e.fingerprint ?? '(none)'}  ` +
          `${e.count} samples  first ${e.firstSeen}  last ${e.lastSeen}`,
      );
    if (p.servedModels.length > 1)
      lines.push(`    ! answered model changed within the run: ${p.servedModels.join(' -> ')}`);
    if (p.fingerprints.length > 1)
      lines.push(`    ! fingerprint changed within the run: ${p.fingerprints.join(' -> ')}`);
  }
  for (const c of changes)
    lines.push(
      `  ! ${c.model}: ${c.what === 'servedModel' ? 'answered model' : 'fingerprint'} changed since run ` +
        `${against}: ${c.before.join(', ') || '(none)'} -> ${c.after.join(', ') || '(none)'}`,
    );
  if (against !== undefined && changes.length === 0)
    lines.push(`  same answered models and fingerprints as run ${against} for the models both hold`);
  return `${lines.map(oneLine).join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('show')
    .description(
      'summarise a stored run per model: ok, missing, errors by kind, tokens, cost, latency p50/p90/p99; an adaptive ' +
        "run's plan and its probes' pilot scores",
    )
    .argument('<run>', 'run name (see phylo runs)')
    .option(...RESULTS_OPTION)
    .option('--against <run>', 'flag every model whose answered ids or fingerprints differ from this earlier run')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phylo show core-20250101-120000\n  $ phylo show alpaca_eval --json --results ./results\n' +
        '  $ phylo show june --against may   # did an endpoint change what it says it is?\n',
    )
    .action((run: string, opts: { results?: string; json?: boolean; against?: string }) => {
      const store = openStore(resultsDir(opts.results));
      try {
        const data = store.loadRun(runName(run));
        const plan = store.probeScores().plan(runName(run));
        const scores = plan ? store.probeScores().scores(runName(run)) : [];
        const summary = summarizeRun(plan ? asPlanned(data, plan, scores) : data);
        const provenance = provenanceOf(data);
        const before = opts.against === undefined ? undefined : provenanceOf(store.loadRun(runName(opts.against)));
        const changes = before ? provenanceChanges(before, provenance) : [];
        const batches = batchLines(store.batches().ofRun(runName(run)));
        const json = {
          ...summary,
          provenance,
          ...(before ? { against: opts.against, changes } : {}),
          ...(batches.length > 0 ? { batches } : {}),
          ...(plan ? { adaptive: { plan, scores } } : {}),
        };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(json, null, 2)}\n`
            : formatSummary(summary, plan) +
                (plan ? formatAdaptive(plan, scores) : '') +
                formatProvenance(provenance, changes, opts.against) +
                formatBatches(batches),
        );
      } finally {
        store.close();
      }
    });
}
