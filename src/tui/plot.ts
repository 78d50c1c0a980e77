// Character-grid drawings for the terminal: a labelled scatter plot and a heatmap colour scale.
// Pure: data in, text out.
import type { MapPoint } from '../analysis/model-map.js';
import { oneLine } from '../core/sanitize.js';

const MARKERS = '123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The marker that stands for the i-th point in plots and their legends. */
export function marker(i: number): string {
  return i < MARKERS.length ? MARKERS[i]! : '*';
}

/**
 * Draw points on a width x height grid: each point is its marker, followed by its label where the row has room.
 * Axes are scaled independently (a map of distances has no preferred orientation).
 */
export function scatterLines(points: readonly MapPoint[], width: number, height: number): string[] {
  const w = Math.max(4, width);
  const h = Math.max(2, height);
  const grid: string[][] = Array.from({ length: h }, () => Array.from({ length: w }, () => ' '));
  if (points.length === 0) return grid.map((r) => r.join(''));
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  // Leave room on the right for the longest label that fits, so points at the right edge can still be named.
  const labelRoom = Math.min(Math.max(...points.map((p) => oneLine(p.label).length)) + 1, Math.floor(w / 3));
  const spanX = Math.max(1, w - 1 - labelRoom);
  const col = (x: number) => (x1 > x0 ? Math.round(((x - x0) / (x1 - x0)) * spanX) : Math.floor(spanX / 2));
  const row = (y: number) => (y1 > y0 ? Math.round(((y1 - y) / (y1 - y0)) * (h - 1)) : Math.floor(h / 2));
  const placed = points.map((p, i) => ({ i, c: col(p.x), r: row(p.y), label: oneLine(p.label) }));
  for (const p of placed) grid[p.r]![p.c] = marker(p.i);
  for (const p of placed) {
    // A label goes right of its marker only over blank cells, so it never hides another point.
    const text = ` ${p.label}`;
    let len = 0;
    while (len < text.length && p.c + 1 + len < w && grid[p.r]![p.c + 1 + len] === ' ') len++;
    if (len < 3) continue;
    const shown = len < text.length ? `${text.slice(0, len - 1)}…` : text;
    for (let k = 0; k < shown.length; k++) grid[p.r]![p.c + 1 + k] = shown[k]!;
  }
  return grid.map((r) => r.join('').trimEnd());
}

/** Sequential colour scale for distances: near = cool, far = warm (hex for ink's backgroundColor). */
export const HEAT_COLOURS = ['#1a9850', '#91cf60', '#d9ef8b', '#fee08b', '#fc8d59', '#d73027'] as const;
/** The same scale without colour: darker shade = farther. */
export const HEAT_SHADES = [' ', '░', '░', '▒', '▓', '█'] as const;

/** Position of a value on a 0..steps-1 scale between the matrix's smallest and largest off-diagonal distance. */
export function heatLevel(value: number, min: number, max: number, steps: number = HEAT_COLOURS.length): number {
  if (!(max > min)) return 0;
  const f = (value - min) / (max - min);
  return Math.min(steps - 1, Math.max(0, Math.floor(f * steps)));
}
