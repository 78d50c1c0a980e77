// The audit check's report for a terminal: the four answers, each with the figure it is judged by.
import type { AuditCheckReport } from './check.js';
import { ALTERNATIVES } from './design.js';

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '-');

export function auditCheckText(r: AuditCheckReport): string {
  const lines: string[] = [];
  const fpr = r.falsePositiveRate;
  const ci = r.falsePositiveInterval;
  lines.push(`lab audit-check (seed ${r.seed}): equality test on the lab zoo, ${r.queries} queries per model`);
  lines.push(`  queries: ${r.design.queryMix}`);
  lines.push(`  substitutes: ${r.design.quantization}`);
  lines.push(
    `  relative weight error: int8 ${r.quantizationError.int8.toFixed(4)}, int4 ${r.quantizationError.int4.toFixed(4)}`,
  );
  lines.push('');
  lines.push(`(a) false-positive rate over ${r.nullTests} null tests (same leaf, two collections, different seeds)`);
  lines.push(`    alpha 0.05: ${pct(fpr['0.05'])}  (95% CI ${pct(ci['0.05'][0])}-${pct(ci['0.05'][1])}; target 3-7%)`);
  lines.push(`    alpha 0.01: ${pct(fpr['0.01'])}  (95% CI ${pct(ci['0.01'][0])}-${pct(ci['0.01'][1])}; target <= 2%)`);
  lines.push(`    null p-values by tenth: ${r.nullPValueHistogram.join(' ')}`);
  lines.push('');
  lines.push(`(b) power at alpha 0.05 with ${r.queries} queries per model`);
  for (const a of ALTERNATIVES)
    lines.push(
      `    ${a.padEnd(8)} ${pct(r.power[a]).padStart(7)}  ` +
        `(${r.powerTests[a]} tests, mean effect ${r.meanEffect[a].toFixed(4)})`,
    );
  lines.push(`    null pairs: mean effect ${r.meanEffect.null.toFixed(4)}`);
  lines.push('');
  lines.push('(c) power at alpha 0.05 by queries per model');
  lines.push(`    ${'queries'.padStart(7)}${ALTERNATIVES.map((a) => a.padStart(9)).join('')}  tests`);
  for (const p of r.queriesPerModel)
    lines.push(
      `    ${String(p.queries).padStart(7)}${ALTERNATIVES.map((a) => pct(p.power[a]).padStart(9)).join('')}  ` +
        `${ALTERNATIVES.map((a) => p.tests[a]).join('/')}`,
    );
  lines.push('');
  lines.push(`(d) identification of every leaf collected afresh against the zoo: top-1 ${pct(r.identifyTop1)}`);
  for (const row of r.identify)
    lines.push(
      `    ${row.leaf.padEnd(18)} -> ${row.nearest.padEnd(18)} ${row.nearest === row.leaf ? 'ok' : 'WRONG'}` +
        `  (runner-up ${row.runnerUp}; p vs own leaf ${row.pValueOwn.toFixed(3)})`,
    );
  lines.push('');
  const t = r.timings;
  lines.push(
    `${r.collected.collections} collections, ${r.collected.queries} queries, ` +
      `${r.collected.decoderSteps} decoder steps (${t.decoderStepsPerSecond}/s); ` +
      `collect ${t.collectSeconds} s, tests ${t.testSeconds} s, total ${t.totalSeconds} s`,
  );
  return `${lines.join('\n')}\n`;
}
