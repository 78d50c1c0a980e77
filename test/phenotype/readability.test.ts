import { describe, expect, it } from 'vitest';
import { fleschReadingEase, syllableCount } from '../../src/phenotype/readability.js';

describe('syllables and Flesch reading ease', () => {
  it('counts syllables of common words by the vowel-group heuristic', () => {
    const cases: [string, number][] = [
      ['cat', 1],
      ['table', 2],
      ['make', 1],
      ['beautiful', 3],
      ['wanted', 2],
      ['jumped', 1],
      ['boxes', 2],
      ['happy', 2],
      ['the', 1],
      ['organization', 5],
      ['Cake!', 1],
    ];
    for (const [w, n] of cases) expect([w, syllableCount(w)]).toEqual([w, n]);
  });

  it('Flesch: 206.835 - 1.015 words/sentence - 84.6 syllables/word (hand computed)', () => {
    // 4 one-syllable words in one sentence: 206.835 - 1.015 * 4 - 84.6 * 1.
    expect(fleschReadingEase(['The', 'cat', 'sat', 'down'], 1)).toBeCloseTo(206.835 - 4.06 - 84.6, 10);
    expect(Number.isNaN(fleschReadingEase([], 1))).toBe(true);
  });
});
