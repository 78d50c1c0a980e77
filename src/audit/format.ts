// Plain-text reports of the audit verdicts for the terminal. Model output is untrusted: every response shown here
// goes through oneLine (control sequences stripped, one line) and is cut to a preview.
import { oneLine } from '../core/sanitize.js';
import type { DriftReport, ModelDrift } from './drift.js';
import type { EqualityResult } from './equality.js';
import type { Identification } from './identify.js';

const PREVIEW = 160;

export function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

function num(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return Math.abs(x) >= 100 || x === 0 ? String(Math.round(x * 10) / 10) : x.toPrecision(3);
}

export function preview(text: string | undefined): string {
  if (text === undefined) return '(no response)';
  const line = oneLine(text);
  return line.length > PREVIEW ? `${line.slice(0, PREVIEW - 1)}…` : line;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cells = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells.map((r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function effectLine(e: EqualityResult['effect']): string {
  return `effect: ${e.name} = ${num(e.estimate)} (95% bootstrap CI ${num(e.ci95[0])} to ${num(e.ci95[1])})`;
}

function evidenceLines(
  probes: readonly { probe: string; contribution: number; a: readonly string[]; b: readonly string[] }[],
  labelA: string,
  labelB: string,
): string[] {
  const out: string[] = [];
  for (const p of probes) {
    out.push(`  ${oneLine(p.probe)}  (${(100 * p.contribution).toFixed(1)}% of the statistic)`);
    out.push(`    ${labelA}: ${preview(p.a[0])}`);
    out.push(`    ${labelB}: ${preview(p.b[0])}`);
  }
  return out;
}

export function formatEquality(r: EqualityResult): string {
  const verdict = r.reject
    ? `DIFFERENT: the two answer from different distributions (p = ${formatP(r.pValue)} <= alpha ${r.alpha})`
    : `no difference found at alpha ${r.alpha} (p = ${formatP(r.pValue)})`;
  const lines = [
    `${oneLine(r.a)} vs ${oneLine(r.b)}: ${r.probes} shared probes, ` +
      `${r.permutations} permutations within probes (seed ${r.seed})`,
    verdict,
    `statistic ${num(r.statistic)} (sum of the standardised components below)`,
    ...table(
      ['component', 'statistic', 'z', 'p'],
      r.components.map((c) => [c.name, num(c.statistic), num(c.standardized), formatP(c.pValue)]),
    ).map((l) => `  ${l}`),
    effectLine(r.effect),
  ];
  if (r.topProbes.length > 0) {
    lines.push('probes that differ most:');
    lines.push(...evidenceLines(r.topProbes, 'A', 'B'));
  }
  return `${lines.join('\n')}\n`;
}

function driftDetail(m: ModelDrift): string[] {
  const out = [`${oneLine(m.model)}: p = ${formatP(m.pValue)}, Holm-adjusted ${formatP(m.adjustedPValue)}`];
  out.push(`  ${effectLine(m.effect)}`);
  const moved = [...m.traits]
    .filter((t) => Number.isFinite(t.delta) && t.delta !== 0)
    .sort((x, y) => Math.abs(y.delta / (Math.abs(y.old) || 1)) - Math.abs(x.delta / (Math.abs(x.old) || 1)))
    .slice(0, 6);
  if (moved.length > 0)
    out.push(
      `  traits (means over ${m.traitProbes} probes, old -> new): ${moved
        .map((t) => `${t.trait} ${num(t.old)} -> ${num(t.new)}`)
        .join(', ')}`,
    );
  if (m.changedProbes.length > 0) {
    out.push('  most-changed probes:');
    out.push(
      ...evidenceLines(
        m.changedProbes.map((p) => ({ ...p, a: p.old, b: p.new })),
        'old',
        'new',
      ).map((l) => `  ${l}`),
    );
  }
  return out;
}

export function formatDrift(r: DriftReport): string {
  const drifted = r.models.filter((m) => m.reject);
  const lines = [
    `drift ${oneLine(r.old)} -> ${oneLine(r.new)}: ${r.models.length} models tested, ` +
      `${r.permutations} permutations each (seed ${r.seed})`,
    `p-values Holm-adjusted over the ${r.models.length} models tested; alpha ${r.alpha} on the adjusted p`,
    '',
    ...table(
      ['model', 'probes', 'p', 'adjusted p', 'verdict', 'effect', '95% CI'],
      r.models.map((m) => [
        oneLine(m.model),
        String(m.probes),
        formatP(m.pValue),
        formatP(m.adjustedPValue),
        m.reject ? 'DRIFTED' : 'same',
        num(m.effect.estimate),
        `${num(m.effect.ci95[0])}..${num(m.effect.ci95[1])}`,
      ]),
    ),
  ];
  for (const s of r.skipped) lines.push(`not tested: ${oneLine(s.model)}: ${oneLine(s.reason)}`);
  if (r.onlyOld.length) lines.push(`only in ${oneLine(r.old)}: ${r.onlyOld.map(oneLine).join(', ')}`);
  if (r.onlyNew.length) lines.push(`only in ${oneLine(r.new)}: ${r.onlyNew.map(oneLine).join(', ')}`);
  lines.push('', `${drifted.length} of ${r.models.length} models drifted at alpha ${r.alpha} (Holm)`);
  for (const m of drifted) lines.push('', ...driftDetail(m));
  return `${lines.join('\n')}\n`;
}

export function formatIdentification(id: Identification, shown = 10): string {
  const lines = [
    `${oneLine(id.target)}: nearest reference models (distance: signal ${id.signal}, ${oneLine(id.metric)}; ` +
      `confidence = share of ${id.bootstrap} bootstrap replicates over probes in which the model is nearest)`,
    ...table(
      ['model', 'distance', 'confidence', 'probes'],
      id.ranking
        .slice(0, shown)
        .map((r) => [oneLine(r.model), r.distance.toFixed(4), r.confidence.toFixed(2), String(r.probes)]),
    ).map((l) => `  ${l}`),
  ];
  if (id.ranking.length > shown) lines.push(`  ... ${id.ranking.length - shown} more`);
  lines.push(`verdict: ${oneLine(id.verdict)}`);
  if (id.equal) lines.push('', formatEquality(id.equal).trimEnd());
  return `${lines.join('\n')}\n`;
}
