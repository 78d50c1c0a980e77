import { describe, expect, it } from 'vitest';
import { computeTraits, sentenceCount, TRAIT_NAMES, TRAITS, traitIndex } from '../../src/phenotype/traits.js';

const trait = (text: string, name: string, answer?: Parameters<typeof computeTraits>[1]) =>
  computeTraits(text, answer)[traitIndex(name)]!;

describe('trait table', () => {
  it('has at least 20 traits, each with a unique name, a unit and a one-line description', () => {
    expect(TRAITS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(TRAIT_NAMES).size).toBe(TRAITS.length);
    for (const t of TRAITS) {
      expect(t.unit.length).toBeGreaterThan(0);
      expect(t.description.length).toBeGreaterThan(10);
      expect(t.description).not.toContain('\n');
    }
  });
});

describe('traits on crafted texts', () => {
  it('length in characters, words, sentences and their ratios', () => {
    const text = 'The cat sat. The dog ran away!';
    expect(trait(text, 'chars')).toBe(text.length);
    expect(trait(text, 'words')).toBe(7);
    expect(trait(text, 'sentences')).toBe(2);
    expect(trait(text, 'meanSentenceLength')).toBeCloseTo(3.5);
    expect(trait(text, 'meanWordLength')).toBeCloseTo((3 + 3 + 3 + 3 + 3 + 3 + 4) / 7);
  });

  it('sentence count: terminators, and lines without one', () => {
    expect(sentenceCount('One. Two? Three!')).toBe(3);
    expect(sentenceCount('# Header\n- item one\n- item two.')).toBe(3);
    expect(sentenceCount('e.g. 3.5 is a number.')).toBe(2);
    expect(sentenceCount('')).toBe(0);
  });

  it('type-token ratio over the first 100 words, case folded', () => {
    expect(trait('the The the cat', 'typeTokenRatio')).toBeCloseTo(2 / 4);
    expect(trait(Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '), 'typeTokenRatio')).toBe(1);
    expect(
      trait(
        `${Array.from({ length: 100 }, () => 'same').join(' ')} ${Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')}`,
        'typeTokenRatio',
      ),
    ).toBeCloseTo(1 / 100);
  });

  it('markdown: headers, bullets, code blocks, bold', () => {
    const md =
      '# Title\n## Sub\nText #not a header\n\n- a\n* b\n+ c\n1. d\n2) e\n-not a bullet\n\n```ts\nlet x = 1;\n```\n\n**strong** and __also__ but ** not**';
    expect(trait(md, 'headers')).toBe(2);
    expect(trait(md, 'bullets')).toBe(5);
    expect(trait(md, 'codeBlocks')).toBe(1);
    expect(trait(md, 'bold')).toBe(2);
    expect(trait(md, 'paragraphs')).toBe(4);
  });

  it('refusal and apology markers', () => {
    expect(trait("I'm sorry, but I can't help with that.", 'refusal')).toBe(1);
    expect(trait('I am unable to provide that information.', 'refusal')).toBe(1);
    expect(trait('Here is how you can do it.', 'refusal')).toBe(0);
    expect(trait('My apologies for the confusion.', 'apology')).toBe(1);
    expect(trait('The cat is happy.', 'apology')).toBe(0);
  });

  it('hedging per 100 words', () => {
    expect(trait('It might rain and perhaps snow today here now', 'hedging')).toBeCloseTo((100 * 2) / 9);
    expect(trait('It rains.', 'hedging')).toBe(0);
  });

  it('self-identification names the vendor of a first-person claim only', () => {
    expect(trait("I'm Claude, an AI assistant made by Anthropic.", 'selfIdentification')).toBe(2);
    expect(trait('I am ChatGPT, a model trained by OpenAI.', 'selfIdentification')).toBe(1);
    expect(trait('I was trained by Google.', 'selfIdentification')).toBe(4);
    expect(trait('OpenAI released GPT-4 in 2023.', 'selfIdentification')).toBe(0);
    expect(trait('As an AI language model, I cannot browse.', 'aiDisclosure')).toBe(1);
    expect(trait('The model is fast.', 'aiDisclosure')).toBe(0);
  });

  it('first person, question marks, exclamations', () => {
    expect(trait('I think my cat likes me', 'firstPerson')).toBeCloseTo((100 * 3) / 6);
    expect(trait('Why? How?? Wow!', 'questionMarks')).toBe(3);
    expect(trait('Why? How?? Wow!', 'exclamations')).toBe(1);
  });

  it('sentiment (AFINN) has the sign of the text', () => {
    expect(trait('This is a wonderful, excellent and happy day.', 'sentiment')).toBeGreaterThan(0);
    expect(trait('This is a terrible, awful and sad day.', 'sentiment')).toBeLessThan(0);
    expect(trait('The table has four legs.', 'sentiment')).toBe(0);
  });

  it('readability: simple prose reads easier than polysyllabic prose', () => {
    const easy = trait('The cat sat on the mat. The dog ran to the cat.', 'readability');
    const hard = trait(
      'Institutional considerations necessitate comprehensive organizational restructuring.',
      'readability',
    );
    expect(easy).toBeGreaterThan(80);
    expect(hard).toBeLessThan(0);
    expect(Number.isNaN(trait('123 456', 'readability'))).toBe(true);
  });

  it('character shares: non-ASCII, digits, upper case; emoji; empty', () => {
    expect(trait('café', 'nonAsciiShare')).toBeCloseTo(1 / 4);
    expect(trait('a1b2', 'digitShare')).toBeCloseTo(2 / 4);
    expect(trait('ABcd', 'uppercaseShare')).toBeCloseTo(2 / 4);
    expect(trait('ÉÀé!', 'uppercaseShare')).toBeCloseTo(2 / 3);
    expect(trait('nice 😀🎉', 'emoji')).toBe(2);
    expect(trait('   \n', 'empty')).toBe(1);
    expect(trait('x', 'empty')).toBe(0);
  });

  it('correctness uses the probe answer and is not applicable without one', () => {
    expect(trait('The answer is 42.', 'correct', { kind: 'exact', value: '42' })).toBe(1);
    expect(trait('The answer is 41.', 'correct', { kind: 'exact', value: '42' })).toBe(0);
    expect(Number.isNaN(trait('The answer is 42.', 'correct'))).toBe(true);
  });

  it('an empty response has zero counts and no NaN except where a trait does not apply', () => {
    const v = computeTraits('');
    TRAIT_NAMES.forEach((name, i) => {
      if (name === 'readability' || name === 'correct') expect(Number.isNaN(v[i]!)).toBe(true);
      else expect(Number.isFinite(v[i]!)).toBe(true);
    });
  });
});
