// Markup built by a tagged template that escapes every interpolated value unless it is already markup: a string
// from a model can only ever become text. Markup comes from `html` itself or from `trusted`, which is kept for what
// this program generated (the SVG figures) and never wraps input.
import { escapeText } from './escape.js';

export interface Markup {
  readonly markup: string;
}

/** A value that may appear in a template: text (escaped), numbers, markup, nothing, or a list of these. */
export type Interpolation = string | number | Markup | null | undefined | false | readonly Interpolation[];

function isMarkup(value: unknown): value is Markup {
  return typeof value === 'object' && value !== null && 'markup' in value;
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'string') return escapeText(value);
  if (isMarkup(value)) return value.markup;
  return (value as readonly Interpolation[]).map(render).join('');
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return { markup: out };
}

/** Markup this program generated itself (an SVG drawn here or by Vega from escaped data). */
export function trusted(markup: string): Markup {
  return { markup };
}

/** Markup as a string. */
export function markupOf(value: Interpolation): string {
  return render(value);
}
