// Command-line numbers, parsed one way for every command and the app: a flag's text to a number within bounds, or
// one InputError line naming the flag, the value and what was expected.
import { InputError } from './errors.js';

export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
}

function range(bounds: NumberBounds): string {
  const { min, max } = bounds;
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}

function check(flag: string, text: string, whole: boolean, bounds: NumberBounds): number {
  const n = text.trim() === '' ? Number.NaN : Number(text);
  const ok =
    (whole ? Number.isInteger(n) : Number.isFinite(n)) &&
    (bounds.min === undefined || n >= bounds.min) &&
    (bounds.max === undefined || n <= bounds.max);
  if (!ok) throw new InputError(`${flag} ${text}: give ${whole ? 'a whole number' : 'a number'}${range(bounds)}`);
  return n;
}

/** A whole number flag; throws InputError naming the flag when the text is not one within bounds. */
export function parseInteger(flag: string, text: string, bounds: NumberBounds = {}): number {
  return check(flag, text, true, bounds);
}

/** A finite number flag; throws InputError naming the flag when the text is not one within bounds. */
export function parseNumber(flag: string, text: string, bounds: NumberBounds = {}): number {
  return check(flag, text, false, bounds);
}

/** An optional whole number flag: undefined when the flag was not given. */
export function optionalInteger(flag: string, text: string | undefined, bounds: NumberBounds = {}): number | undefined {
  return text === undefined ? undefined : parseInteger(flag, text, bounds);
}

/** An optional number flag: undefined when the flag was not given. */
export function optionalNumber(flag: string, text: string | undefined, bounds: NumberBounds = {}): number | undefined {
  return text === undefined ? undefined : parseNumber(flag, text, bounds);
}
