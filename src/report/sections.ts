// The report's sections as markup, in the order a reader needs them: the summary, the phenotype of each signal
// (tree, heatmap, map), the traits, the genotype, the audit verdicts. Figures arrive as SVG strings drawn elsewhere;
// every other value passes through the escaping template.
import type { TraitTable } from '../analysis/evidence.js';
import { formatPValue, type AuditSection } from './audit.js';
import { html, trusted, type Markup } from './html.js';
import type { RunSummary } from './summary.js';

export interface FigureMarkup {
  /** The standalone file beside the report. */
  readonly file: string;
  readonly svg: string;
  readonly caption: Markup | string;
}

const count = (n: number) => n.toLocaleString('en-US');
const sig = (v: number, digits = 3) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : '');

export function figure(f: FigureMarkup): Markup {
  return html`<figure>${trusted(f.svg)}<figcaption>${f.caption} (also <code>${f.file}</code>)</figcaption></figure>`;
}

function facts(rows: readonly [string, string | Markup][]): Markup {
  return html`<dl class="facts">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

export function summarySection(s: RunSummary, warnings: readonly string[]): Markup {
  const errors = s.samples - s.ok;
  const latency = s.latencyMs
    ? `p50 ${sig(s.latencyMs.p50)} ms, p90 ${sig(s.latencyMs.p90)} ms, p99 ${sig(s.latencyMs.p99)} ms ` +
      `(max ${sig(s.latencyMs.max)} ms)`
    : 'not recorded (imported samples carry none)';
  const dates =
    s.firstSample !== undefined
      ? `${s.firstSample} to ${s.lastSample}`
      : `no sample stored (run created ${s.createdAt})`;
  return html`<section id="summary"><h2>Summary</h2><div class="overview"><div>${facts([
    ['run', html`<span class="model">${s.run}</span> (${s.origin}, ${s.status})`],
    ['suite', `${s.suite}, version ${s.suiteVersion}`],
    ['models', `${count(s.models)} (${count(s.answeringModels)} with answers)`],
    ['probes', count(s.probes)],
    ['samples', `${count(s.samples)}: ${count(s.ok)} answered, ${count(errors)} failed`],
    [
      'errors by kind',
      s.errorsByKind.length === 0 ? 'none' : s.errorsByKind.map((e) => `${e.kind} ${count(e.count)}`).join(', '),
    ],
    ['tokens', `${count(s.inputTokens)} in, ${count(s.outputTokens)} out`],
    ['cost', `$${s.costUsd.toFixed(4)}`],
    ['latency', latency],
    ['collected', dates],
  ])}</div>${
    warnings.length > 0
      ? html`<div><h3>What to know about the data</h3><ul>${warnings.map(
          (w) => html`<li class="warn">${w}</li>`,
        )}</ul></div>`
      : ''
  }</div></section>`;
}

export interface PhenotypeMarkup {
  readonly id: string;
  readonly heading: string;
  readonly intro: string;
  readonly figures: readonly FigureMarkup[];
}

export function phenotypeSection(p: PhenotypeMarkup): Markup {
  return html`<section id="${p.id}"><h2>${p.heading}</h2><p>${p.intro}</p>${p.figures.map(figure)}</section>`;
}

/** A bar of `fraction` (0..1) as a tiny inline SVG: the cell's number stays the text, the bar is for the eye. */
function bar(fraction: number): Markup {
  const w = Math.round(Math.max(0, Math.min(1, fraction)) * 60);
  return trusted(
    `<svg width="62" height="9" aria-hidden="true"><rect x="0" y="0" width="62" height="9" fill="#eef1f4"/>` +
      `<rect x="0" y="0" width="${w}" height="9" fill="#4e79a7"/></svg>`,
  );
}

/** Each model's mean traits, one row per model in `order`; a cell is its value and a bar over the trait's range. */
export function traitsSection(table: TraitTable, order: readonly string[], heatmap?: FigureMarkup): Markup {
  const rowOf = new Map(table.rows.map((r) => [r.model, r]));
  const rows = order.map((m) => rowOf.get(m)).filter((r) => r !== undefined);
  const ranges = table.traits.map((_, t) => {
    const xs = rows.map((r) => r.values[t]!).filter(Number.isFinite);
    return { min: Math.min(...xs), max: Math.max(...xs) };
  });
  const cell = (v: number, t: number) => {
    if (!Number.isFinite(v)) return html`<td class="num">n/a</td>`;
    const { min, max } = ranges[t]!;
    return html`<td class="num">${sig(v)}${bar(max > min ? (v - min) / (max - min) : 0.5)}</td>`;
  };
  return html`<section id="traits"><h2>Traits</h2>
<p>Each model's mean of every trait the traits signal compares, over its answers; the bar places the value between
the lowest and the highest model. Rows follow the first tree, top to bottom.</p>
<div class="scroll"><table class="traits"><thead><tr><th>model</th>${table.traits.map(
    (t) => html`<th class="num">${t}</th>`,
  )}</tr></thead>
<tbody>${rows.map((r) => html`<tr><td class="model">${r.model}</td>${r.values.map(cell)}</tr>`)}</tbody></table></div>
${heatmap ? figure(heatmap) : ''}</section>`;
}

export interface GenotypeMarkup {
  readonly intro: string;
  readonly figures: readonly FigureMarkup[];
  /** The ranked layers (best first), for the table under the chart. */
  readonly layers: readonly { readonly layer: string; readonly rank: number; readonly score: string }[];
  readonly notes: readonly string[];
}

export function genotypeSection(g: GenotypeMarkup): Markup {
  return html`<section id="genotype"><h2>Genotype</h2><p>${g.intro}</p>${g.figures.map(figure)}
<details><summary>layers ranked (${g.layers.length})</summary><table>
<thead><tr><th class="num">rank</th><th>layer</th><th class="num">score</th></tr></thead>
<tbody>${g.layers.map(
    (l) =>
      html`<tr><td class="num">${l.rank}</td><td class="model">${l.layer}</td><td class="num">${l.score}</td></tr>`,
  )}</tbody></table></details>
${g.notes.length > 0 ? html`<ul>${g.notes.map((n) => html`<li class="warn">${n}</li>`)}</ul>` : ''}</section>`;
}

const verdictClass = (reject: boolean | undefined) => (reject === undefined ? '' : reject ? 'reject' : 'keep');

export function auditSectionMarkup(sections: readonly AuditSection[]): Markup {
  return html`<section id="audit"><h2>Audit verdicts</h2>${sections.map(
    (s) => html`<h3>${s.heading}</h3><p class="note">from <code>${s.file}</code>${s.note ? html`; ${s.note}` : ''}</p>
<div class="scroll"><table><thead><tr><th>tested</th><th class="num">p-value</th><th class="num">adjusted p</th>
<th>verdict</th><th>details</th></tr></thead>
<tbody>${s.rows.map(
      (r) =>
        html`<tr><td class="model">${r.subject}</td><td class="num">${formatPValue(r.pValue)}</td>
<td class="num">${formatPValue(r.adjustedPValue)}</td>
<td class="${verdictClass(r.reject)}">${r.verdict}</td><td>${r.detail ?? ''}</td></tr>`,
    )}</tbody></table></div>`,
  )}</section>`;
}
