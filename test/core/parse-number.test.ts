// Command-line numbers: one parser for every command, one InputError line naming the flag, the value and the range.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { optionalInteger, optionalNumber, parseInteger, parseNumber } from '../../src/core/parse-number.js';

describe('parse-number', () => {
  it('accepts numbers within the bounds, inclusive', () => {
    expect(parseInteger('--samples', '3', { min: 1 })).toBe(3);
    expect(parseInteger('--logprobs', '20', { min: 0, max: 20 })).toBe(20);
    expect(parseNumber('--temperature', '0.7', { min: 0, max: 2 })).toBe(0.7);
    expect(parseNumber('--temperature', '0', { min: 0, max: 2 })).toBe(0);
    expect(parseInteger('--seed', '-4')).toBe(-4);
  });

  it('refuses text, fractions, blanks and out-of-range values with one line naming the flag', () => {
    const cases: [() => number, string][] = [
      [() => parseInteger('--samples', 'many', { min: 1 }), '--samples many: give a whole number >= 1'],
      [() => parseInteger('--samples', '1.5', { min: 1 }), '--samples 1.5: give a whole number >= 1'],
      [() => parseInteger('--samples', '', { min: 1 }), '--samples : give a whole number >= 1'],
      [() => parseInteger('--logprobs', '21', { min: 0, max: 20 }), '--logprobs 21: give a whole number from 0 to 20'],
      [() => parseNumber('--temperature', '3', { min: 0, max: 2 }), '--temperature 3: give a number from 0 to 2'],
      [() => parseNumber('--timeout', 'Infinity', { min: 1 }), '--timeout Infinity: give a number >= 1'],
      [() => parseNumber('--x', 'NaN', { max: 1 }), '--x NaN: give a number <= 1'],
    ];
    for (const [parse, message] of cases) {
      expect(parse).toThrow(InputError);
      expect(parse).toThrow(message);
    }
  });

  it('an absent optional flag is undefined; a present one is checked', () => {
    expect(optionalInteger('--retries', undefined, { min: 0 })).toBeUndefined();
    expect(optionalNumber('--temperature', undefined)).toBeUndefined();
    expect(optionalInteger('--retries', '0', { min: 0 })).toBe(0);
    expect(() => optionalInteger('--retries', '-1', { min: 0 })).toThrow('--retries -1: give a whole number >= 0');
  });
});
