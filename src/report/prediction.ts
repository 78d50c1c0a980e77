// The report's "Predicted benchmark scores" section (`phylo report RUN --scores FILE.tsv --column NAME`): every
// model's score predicted from its nearest neighbours in the first signal's distances, exactly as `phylo predict`
// computes it (src/analysis/predict.ts), with the nested leave-one-out r and MAE beside the mean-of-others baseline,
// a scatter of held-out predictions against the given scores and a table of every model.
import type { ModelPrediction, ScorePrediction } from '../analysis/predict.js';
import { html, type Markup } from './html.js';
import { figure, type FigureMarkup } from './sections.js';

export interface PredictionView {
  readonly column: string;
  /** The scores file, as given. */
  readonly file: string;
  /** The signal whose distances the neighbours are found in (the report's first). */
  readonly signal: string;
  readonly metric: string;
  readonly result: ScorePrediction;
}

const fixed = (x: number | undefined, digits = 2) =>
  x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);

const weighting = (power: number) => (power === 0 ? 'plain mean' : `weight 1/d^${power}`);

/** Every model, highest predicted score first (as `phylo predict` prints them). */
function predictionRows(result: ScorePrediction) {
  return [...result.predictions].sort((a, b) => b.predicted - a.predicted || a.model.localeCompare(b.model));
}

/** One model's row: its score or '-', the prediction, the error when scored, and how it was predicted. */
function predictionRow(m: ModelPrediction): Markup {
  const scored = m.observed !== undefined;
  const how = `${m.heldOut ? 'held out' : 'no score: predicted'} (k=${m.setting.k}, ${weighting(m.setting.power)})`;
  return html`<tr class="${m.heldOut ? 'held-out' : 'unscored'}"><td class="model">${m.model}</td>\
<td class="num">${scored ? fixed(m.observed) : '-'}</td><td class="num">${fixed(m.predicted)}</td>\
<td class="num">${scored ? fixed(m.predicted - m.observed!) : ''}</td><td>${how}</td></tr>`;
}

export function predictionSection(p: PredictionView, chart: FigureMarkup): Markup {
  const r = p.result;
  const unscored = r.predictions.length - r.scored;
  const facts: [string, string][] = [
    ['score column', `${p.column} (from ${p.file})`],
    ['models', `${r.predictions.length}: ${r.scored} with a score, ${unscored} without`],
    ['distances', `${p.signal} (${p.metric})`],
    ['leave-one-out r', `${fixed(r.looPearson, 3)} (Pearson, nested, over the ${r.scored} scored models)`],
    ['leave-one-out MAE', fixed(r.looMAE, 3)],
    ['baseline MAE', `${fixed(r.baselineMAE, 3)} (each scored model predicted by the mean of the others)`],
    ['models without a score', `predicted with k=${r.setting.k}, ${weighting(r.setting.power)}`],
  ];
  return html`<section id="prediction"><h2>Predicted benchmark scores</h2>
<p>Each model's ${p.column} is predicted as the distance-weighted mean of its k nearest scored models' in the
${p.signal} distances, as <code>phylo predict</code> does (after PhyloLM, Yax et al. 2024). k and the weighting are
chosen by leave-one-out; the validation is nested: each scored model is predicted, and its setting chosen, without its
own score, so r and MAE never see the answer. Models with no score are predicted from every scored model.</p>
<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
${figure(chart)}
<div class="scroll"><table class="prediction"><thead><tr><th>model</th><th class="num">score</th>
<th class="num">predicted</th><th class="num">error</th><th>prediction</th></tr></thead>
<tbody>${predictionRows(r).map(predictionRow)}</tbody></table></div></section>`;
}
