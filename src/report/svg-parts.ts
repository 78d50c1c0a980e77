// Pieces the hand-drawn figures share: an estimate of a text's width (no font metrics in Node without a canvas) and
// the colour legend of the model groups.
import { escapeText, visibleText } from './escape.js';
import { UNLABELLED, type Groups } from './groups.js';

/** Width in pixels of `text` in a sans-serif font of `size` px: 0.6 em a character, 1 em for wide (CJK) ones. */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const c of visibleText(text))
    em += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(c) ? 1 : 0.6;
  return Math.ceil(em * size);
}

/**
 * The groups' colours as swatches in rows that wrap at `maxWidth`; `bottom` is where the legend ends. Nothing when
 * no model has a group (a legend of one grey "no label" says nothing).
 */
export function legendSvg(groups: Groups, x: number, y: number, maxWidth: number): { svg: string; bottom: number } {
  if (groups.legend.every((g) => g.group === UNLABELLED)) return { svg: '', bottom: y - 20 };
  const size = 11;
  const items: string[] = [];
  let cx = x;
  let cy = y;
  const title = groups.by === 'family' ? 'family' : 'provider';
  items.push(`<text x="${x}" y="${cy}" font-weight="bold">${title}</text>`);
  cy += 16;
  for (const { group, colour } of groups.legend) {
    const w = 16 + textWidth(group, size) + 18;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      cy += 16;
    }
    items.push(
      `<rect x="${cx}" y="${cy - 9}" width="10" height="10" fill="${colour}"/>` +
        `<text x="${cx + 14}" y="${cy}">${escapeText(group)}</text>`,
    );
    cx += w;
  }
  return { svg: `<g class="legend" font-size="${size}">${items.join('')}</g>`, bottom: cy + 6 };
}
