// Flesch reading ease (Flesch 1948): 206.835 - 1.015 (words / sentences) - 84.6 (syllables / words).

/**
 * Syllables of an English word by a vowel-group heuristic: count runs of vowels (a e i o u y), drop a silent final
 * "e" (but not "-le" after a consonant, as in "table"), count "-ed" only after t/d, and never return less than one.
 * Exact for most common words; a dictionary (CMUdict) would be exact but heavy.
 */
export function syllableCount(word: string): number {
  const cached = syllableCache.get(word);
  if (cached !== undefined) return cached;
  const n = countSyllables(word);
  // Word frequencies are Zipfian: a small cache answers most lookups.
  if (syllableCache.size < 100_000) syllableCache.set(word, n);
  return n;
}

const syllableCache = new Map<string, number>();

function countSyllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  if (w.length <= 3) return 1;
  if (/[^aeiouy]ed$/.test(w) && !/[td]ed$/.test(w)) w = w.slice(0, -2);
  else if (/[^aeiouy]es$/.test(w) && !/(?:[sxz]|[cs]h)es$/.test(w)) w = w.slice(0, -2);
  else if (/e$/.test(w) && !/[^aeiouy]le$/.test(w)) w = w.slice(0, -1);
  const groups = w.match(/[aeiouy]+/g);
  return Math.max(1, groups ? groups.length : 0);
}

/** Flesch reading ease of a text given its words and sentence count; NaN for a text with no words. */
export function fleschReadingEase(words: readonly string[], sentences: number): number {
  const alphabetic = words.filter((w) => /[a-z]/i.test(w));
  if (alphabetic.length === 0) return Number.NaN;
  let syllables = 0;
  for (const w of alphabetic) syllables += syllableCount(w);
  return 206.835 - 1.015 * (alphabetic.length / Math.max(1, sentences)) - 84.6 * (syllables / alphabetic.length);
}
