// Vega-Lite specs rendered to SVG strings in Node (Satyanarayan et al. 2017, "Vega-Lite: A Grammar of Interactive
// Graphics"): compiled to Vega, run headless with no renderer and serialised by view.toSVG(); no canvas, no network
// (every spec carries its data inline). Vega escapes text and attributes itself; the data we give it is already made
// visible (escape.ts) so that no control character reaches the XML.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Shared look: the report's font, no chart border, readable axis labels that are never cut short. */
export const CHART_CONFIG = {
  font: 'sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/**
 * Rename every id in `svg` (and every reference to it) to `<prefix>-<n>` in order of appearance, so that several Vega
 * figures inlined in one page do not share clip paths and gradients, and so that the same figure gets the same ids
 * every time (Vega numbers gradients with a counter that runs across the whole process).
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g))
    if (!renamed.has(m[1]!)) renamed.set(m[1]!, `${prefix}-${renamed.size + 1}`);
  const to = (id: string) => renamed.get(id) ?? id;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${to(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${to(id)})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${to(id)}"`);
}

/** The SVG of a Vega-Lite spec; `id` prefixes its element ids (see prefixSvgIds) and names it for screen readers. */
export async function vegaLiteSvg(spec: TopLevelSpec, id: string): Promise<string> {
  const vega = compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return prefixSvgIds(svg, id).replace('<svg ', `<svg data-figure="${id}" `);
  } finally {
    view.finalize();
  }
}
