// The report's charts as Vega-Lite specs over inline data: the distance heatmap in tree order, the 2-D map of the
// models, the trait z-scores and the per-layer importance of the genotype. Labels are given in their visible form
// (escape.ts); Vega escapes them for SVG.
import type { TopLevelSpec } from 'vega-lite';
import type { DistanceMatrix } from '../core/matrix.js';
import type { LayerImportance } from '../genotype/index.js';
import { visibleText } from './escape.js';
import type { Groups } from './groups.js';

export interface MapPoint {
  readonly label: string;
  readonly x: number;
  readonly y: number;
}

function colourScale(groups: Groups, models: readonly string[]) {
  const used = new Set(models.map((m) => groups.of.get(m)));
  const legend = groups.legend.filter((g) => used.has(g.group));
  return { domain: legend.map((g) => visibleText(g.group)), range: legend.map((g) => g.colour) };
}

/** Distances as cells, rows and columns in `order` (the tree's leaves, top to bottom). */
export function heatmapSpec(matrix: DistanceMatrix, order: readonly string[], title: string): TopLevelSpec {
  const n = matrix.labels.length;
  const index = new Map(matrix.labels.map((l, i) => [l, i]));
  const labels = order.map(visibleText);
  const values: { row: string; col: string; distance: number }[] = [];
  for (const a of order)
    for (const b of order)
      values.push({
        row: visibleText(a),
        col: visibleText(b),
        distance: matrix.values[index.get(a)! * n + index.get(b)!]!,
      });
  return {
    title,
    data: { values },
    mark: { type: 'rect' },
    width: { step: Math.max(8, Math.min(18, Math.floor(600 / Math.max(n, 1)))) },
    height: { step: Math.max(8, Math.min(18, Math.floor(600 / Math.max(n, 1)))) },
    encoding: {
      x: { field: 'col', type: 'nominal', sort: labels, title: null, axis: { labelAngle: -60 } },
      y: { field: 'row', type: 'nominal', sort: labels, title: null },
      color: {
        field: 'distance',
        type: 'quantitative',
        scale: { scheme: 'viridis', reverse: true },
        legend: { title: 'distance', gradientLength: 200 },
      },
    },
  };
}

/** The models as points in 2-D, coloured by group, each labelled. */
export function mapSpec(points: readonly MapPoint[], groups: Groups, title: string): TopLevelSpec {
  const values = points.map((p) => ({
    model: visibleText(p.label),
    group: visibleText(groups.of.get(p.label) ?? ''),
    x: p.x,
    y: p.y,
  }));
  const colour = colourScale(
    groups,
    points.map((p) => p.label),
  );
  const encoding = {
    x: {
      field: 'x',
      type: 'quantitative',
      title: 'axis 1',
      scale: { zero: false, nice: false },
      axis: { labels: false },
    },
    y: {
      field: 'y',
      type: 'quantitative',
      title: 'axis 2',
      scale: { zero: false, nice: false },
      axis: { labels: false },
    },
    color: { field: 'group', type: 'nominal', scale: colour, title: groups.by },
  } as const;
  return {
    title,
    data: { values },
    width: 620,
    height: 460,
    layer: [
      { mark: { type: 'circle', size: 90, opacity: 0.9 }, encoding },
      {
        mark: { type: 'text', align: 'left', dx: 7, dy: 3, fontSize: 10 },
        encoding: { ...encoding, text: { field: 'model' } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Each model's traits as z-scores over the models (so traits of any unit share one colour scale), rows in tree order.
 * A trait that does not apply to a model (NaN) is left blank.
 */
export function traitsSpec(
  traits: readonly string[],
  rows: readonly { readonly model: string; readonly values: readonly number[] }[],
  title: string,
): TopLevelSpec {
  const values: { model: string; trait: string; z: number; value: number }[] = [];
  traits.forEach((trait, t) => {
    const xs = rows.map((r) => r.values[t]!).filter((v) => Number.isFinite(v));
    const mean = xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(xs.length - 1, 1));
    for (const r of rows) {
      const v = r.values[t]!;
      if (Number.isFinite(v))
        values.push({ model: visibleText(r.model), trait, value: v, z: sd > 0 ? (v - mean) / sd : 0 });
    }
  });
  return {
    title,
    data: { values },
    mark: { type: 'rect' },
    width: { step: 16 },
    height: { step: 14 },
    encoding: {
      x: { field: 'trait', type: 'nominal', sort: [...traits], title: null, axis: { labelAngle: -60 } },
      y: { field: 'model', type: 'nominal', sort: rows.map((r) => visibleText(r.model)), title: null },
      color: {
        field: 'z',
        type: 'quantitative',
        scale: { scheme: 'redblue', domainMid: 0, reverse: true, clamp: true, domain: [-3, 3] },
        legend: { title: 'z-score' },
      },
    },
  };
}

/** Per-layer importance: agreement with the reference tree when given (Pearson r), else separation of the models. */
export function layersSpec(layers: readonly LayerImportance[], withReference: boolean, title: string): TopLevelSpec {
  const values = layers.map((l) => ({
    layer: visibleText(l.layer),
    score: withReference ? (Number.isNaN(l.pearson) ? 0 : l.pearson) : l.separation,
    rank: l.rank,
  }));
  return {
    title,
    data: { values },
    mark: { type: 'bar', color: '#4e79a7' },
    width: { step: Math.max(6, Math.min(22, Math.floor(700 / Math.max(layers.length, 1)))) },
    height: 220,
    encoding: {
      x: { field: 'layer', type: 'nominal', sort: null, title: 'layer', axis: { labelAngle: -60 } },
      y: {
        field: 'score',
        type: 'quantitative',
        title: withReference ? 'Pearson r with the reference distances' : 'separation (L2 / RMS norm)',
      },
    },
  };
}

export interface PredictedPoint {
  readonly model: string;
  /** The score given. */
  readonly observed: number;
  /** Its held-out prediction (made without its own score). */
  readonly predicted: number;
}

/**
 * Held-out predicted scores against the given ones, one point per scored model coloured by group and labelled, over
 * the line predicted = given; both axes share one domain so that distance from the line reads as error.
 */
export function predictionSpec(points: readonly PredictedPoint[], groups: Groups, title: string): TopLevelSpec {
  const all = points.flatMap((p) => [p.observed, p.predicted]);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = (hi - lo) * 0.05 || 1;
  const domain = [lo - pad, hi + pad];
  const values = points.map((p) => ({
    model: visibleText(p.model),
    group: visibleText(groups.of.get(p.model) ?? ''),
    observed: p.observed,
    predicted: p.predicted,
  }));
  const x = { field: 'observed', type: 'quantitative', title: 'given', scale: { domain, nice: false } };
  const y = { field: 'predicted', type: 'quantitative', title: 'predicted (held out)', scale: { domain, nice: false } };
  const colour = colourScale(
    groups,
    points.map((p) => p.model),
  );
  const encoding = { x, y, color: { field: 'group', type: 'nominal', scale: colour, title: groups.by } } as const;
  return {
    title,
    width: 560,
    height: 560,
    layer: [
      {
        data: {
          values: [
            { observed: domain[0], predicted: domain[0] },
            { observed: domain[1], predicted: domain[1] },
          ],
        },
        mark: { type: 'line', color: '#999999', strokeDash: [4, 4] },
        encoding: { x, y },
      },
      { data: { values }, mark: { type: 'circle', size: 70, opacity: 0.9 }, encoding },
      {
        data: { values },
        // Labels in one dark colour: the pale colours of the palette are for points, not for reading.
        mark: { type: 'text', align: 'left', dx: 6, dy: 3, fontSize: 9, color: '#333333' },
        encoding: { x, y, text: { field: 'model' } },
      },
    ],
  } as TopLevelSpec;
}
