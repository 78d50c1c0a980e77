import { describe, expect, it } from 'vitest';
import { characterMatrix, variableCharacters } from '../../src/phenotype/characters.js';
import { responseTable } from '../../src/phenotype/responses.js';
import { traitProfile, weightedTraitMeans } from '../../src/phenotype/trait-profile.js';
import { traitIndex } from '../../src/phenotype/traits.js';
import { makeRun } from './fixtures.js';

const run = makeRun([
  { model: 'm:a', probe: 'p1', texts: ['ab', 'abcd'] },
  { model: 'm:b', probe: 'p1', texts: ["I'm sorry, I can't."] },
  { model: 'm:a', probe: 'p2', texts: ['abcdef'] },
  { model: 'm:b', probe: 'p2', texts: [{ error: 'x' }] },
]);

describe('trait profile', () => {
  const profile = traitProfile(responseTable(run));
  const T = profile.traits.length;
  const chars = traitIndex('chars');

  it('mean and spread over samples per probe', () => {
    expect(profile.probeMean[(0 * 2 + 0) * T + chars]).toBe(3);
    expect(profile.probeSpread[(0 * 2 + 0) * T + chars]).toBeCloseTo(Math.SQRT2, 12);
    expect(Number.isNaN(profile.probeMean[(1 * 2 + 1) * T + chars]!)).toBe(true);
  });

  it('mean and spread over probes per model, and bootstrap-weighted means', () => {
    expect(profile.mean[0 * T + chars]).toBe(4.5);
    expect(profile.spread[0 * T + chars]).toBeCloseTo(Math.sqrt(4.5), 12);
    expect(profile.mean[1 * T + chars]).toBe(19);
    const w = weightedTraitMeans(profile, [chars], [1, 3]);
    expect(w[0]).toBeCloseTo((3 + 3 * 6) / 4, 12);
    expect(w[1]).toBe(19);
  });

  it('discrete traits form a character matrix with missing data as -1', () => {
    const cm = characterMatrix(profile);
    const refusal = cm.characters.indexOf('refusal@p1');
    expect(refusal).toBeGreaterThanOrEqual(0);
    expect(cm.states[0 * cm.characters.length + refusal]).toBe(0);
    expect(cm.states[1 * cm.characters.length + refusal]).toBe(1);
    expect(cm.states[1 * cm.characters.length + cm.characters.indexOf('refusal@p2')]).toBe(-1);
    expect(variableCharacters(cm)).toContain(refusal);
  });
});
