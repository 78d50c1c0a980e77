// The evidence: for each probe, every model's answers side by side, collapsed in <details> so the page stays short
// and readable without scripts. Answers are untrusted and long: escaped, and trimmed to a length with a note saying so.
import type { EvidenceProbe, EvidenceResponse } from '../analysis/evidence.js';
import { trimText } from './escape.js';
import { html, type Markup } from './html.js';

export interface EvidenceView {
  readonly probes: readonly { readonly probe: EvidenceProbe; readonly responses: readonly EvidenceResponse[] }[];
  /** Probes the run has (the view may show fewer). */
  readonly total: number;
  /** Characters kept of each answer and prompt. */
  readonly trim: number;
  /** Model order (the first tree's leaves). */
  readonly order: readonly string[];
}

const count = (n: number) => n.toLocaleString('en-US');

function trimmedBlock(text: string, max: number, cls: string): Markup {
  const t = trimText(text, max);
  return html`<pre class="${cls}">${t.text}</pre>${
    t.trimmed ? html`<p class="note">trimmed: first ${count(t.text.length)} of ${count(t.length)} characters</p>` : ''
  }`;
}

function responseCard(r: EvidenceResponse, trim: number): Markup {
  const several = r.texts.length > 1;
  return html`<div class="response"><h4 class="model">${r.model}</h4>${
    r.texts.length === 0 ? html`<p class="note">no answer</p>` : ''
  }${r.texts.map(
    (t, i) => html`${several ? html`<p class="note">sample ${i + 1}</p>` : ''}${trimmedBlock(t, trim, 'answer')}`,
  )}${r.errors > 0 ? html`<p class="note warn">${r.errors} failed attempt(s)</p>` : ''}</div>`;
}

export function evidenceSection(e: EvidenceView): Markup {
  const position = new Map(e.order.map((m, i) => [m, i]));
  const rank = (m: string) => position.get(m) ?? Number.MAX_SAFE_INTEGER;
  const shown = e.probes.length;
  const which =
    shown === e.total
      ? `each of the ${count(e.total)} probes`
      : `the first ${count(shown)} of ${count(e.total)} probes (phylo report --evidence N shows more)`;
  return html`<section id="evidence"><h2>Evidence</h2>
<p>Every model's answer to ${which}, side by side in the order of the first tree; open a probe to read them.
Answers longer than ${count(e.trim)} characters are trimmed, with a note.</p>
${e.probes.map(({ probe, responses }) => {
  const head = trimText(probe.prompt.replace(/\s+/g, ' '), 110);
  const sorted = [...responses].sort((a, b) => rank(a.model) - rank(b.model));
  return html`<details class="probe"><summary><code>${probe.id}</code> ${head.text}${head.trimmed ? '…' : ''}${
    probe.tags.length > 0 ? html` <span class="note">[${probe.tags.join(', ')}]</span>` : ''
  }</summary>${trimmedBlock(probe.prompt, e.trim * 2, 'prompt')}<div class="responses">${sorted.map((r) =>
    responseCard(r, e.trim),
  )}</div></details>`;
})}</section>`;
}
