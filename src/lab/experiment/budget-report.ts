// The budget table as markdown (a section of lab/zoo/EXPERIMENT.md): one row per signal and design, one column per
// budget of queries per model, PhyloLM's recipe marked as the baseline, and the best of each kind at the top budget.
import { signalDefinition } from '../../analysis/signals/index.js';
import { TOP_LOGPROBS } from '../../analysis/run-needs.js';
import type { BudgetCell, BudgetRow, BudgetTable } from './budget.js';

const cellText = (c: BudgetCell | undefined) =>
  c === undefined ? '-' : `${c.normalized.toFixed(3)} (${Math.round(c.queries)})`;

const usesLogprobs = (r: BudgetRow) => signalDefinition(r.signal).needs.includes(TOP_LOGPROBS);

/** The best row of some kind at the largest budget, or undefined when no row of that kind has a cell there. */
export function bestAtTop(t: BudgetTable, keep: (r: BudgetRow) => boolean): BudgetRow | undefined {
  const last = t.budgets.length - 1;
  return t.rows
    .filter((r) => keep(r) && r.cells[last] !== undefined)
    .sort((a, b) => a.cells[last]!.normalized - b.cells[last]!.normalized)[0];
}

/** The lowest mean normalized RF of any cell of some kind of row, with its row and budget. */
export function bestCell(
  t: BudgetTable,
  keep: (r: BudgetRow) => boolean,
): { row: BudgetRow; budget: number; cell: BudgetCell } | undefined {
  let best: { row: BudgetRow; budget: number; cell: BudgetCell } | undefined;
  for (const row of t.rows.filter(keep))
    row.cells.forEach((cell, i) => {
      if (cell && (!best || cell.normalized < best.cell.normalized)) best = { row, budget: t.budgets[i]!, cell };
    });
  return best;
}

/**
 * Issue 12 targets, <= 1,000 queries per model: the best phenotype (any signal) <= 2/18 (the noise-free ceiling),
 * sampled text alone <= 0.5; the logprob signals are held to the ceiling too.
 */
export const TARGETS = { phenotype: 2 / 18, logprobs: 2 / 18, text: 0.5 } as const;

export function budgetTableMarkdown(t: BudgetTable): string[] {
  const L: string[] = [];
  L.push(
    `| signal | method | design | ${t.budgets.map((b) => `<= ${b}`).join(' | ')} |`,
    `|---|---|---|${t.budgets.map(() => '---:').join('|')}|`,
  );
  for (const r of t.rows)
    L.push(
      `| ${r.baseline ? `**${r.signal}** (baseline)` : r.signal} | ${r.method} | ${r.design} | ` +
        `${r.cells.map(cellText).join(' | ')} |`,
    );
  const last = t.budgets.length - 1;
  const line = (title: string, r: BudgetRow | undefined) =>
    r
      ? `- ${title}: ${r.signal} (${r.design}, ${r.method}), normalized RF ${r.cells[last]!.normalized.toFixed(3)} ` +
        `with ${Math.round(r.cells[last]!.queries)} queries per model`
      : `- ${title}: none`;
  L.push(
    '',
    `Cells: mean normalized RF over seeded draws (queries per model actually spent, in brackets) with at most the ` +
      `column's queries per model; one draw where the budget takes the whole pool.`,
    '',
    line('Best with logprobs', bestAtTop(t, usesLogprobs)),
    line(
      'Best from sampled text alone',
      bestAtTop(t, (r) => !usesLogprobs(r)),
    ),
    line(
      "PhyloLM's recipe",
      bestAtTop(t, (r) => r.baseline),
    ),
  );
  const target = (title: string, goal: number, keep: (r: BudgetRow) => boolean) => {
    const b = bestCell(t, keep);
    if (!b) return `- Target ${title} <= ${goal.toFixed(3)}: no cell`;
    const met = b.cell.normalized <= goal + 1e-9 ? 'met' : 'not met';
    return (
      `- Target ${title} <= ${goal.toFixed(3)}: ${met} (best cell ${b.cell.normalized.toFixed(3)}: ` +
      `${b.row.signal}, ${b.row.design}, <= ${b.budget})`
    );
  };
  L.push(
    target('best phenotype', TARGETS.phenotype, () => true),
    target('with logprobs', TARGETS.logprobs, usesLogprobs),
    target('from sampled text alone', TARGETS.text, (r) => !usesLogprobs(r)),
  );
  return L;
}
