import { describe, expect, it } from 'vitest';
import { modelRef, probeId } from '../../src/core/refs.js';
import type { ModelRef, Probe, Suite } from '../../src/core/types.js';
import { estimateRun, formatEstimate, promptTokens, TYPICAL_OUTPUT_FRACTION } from '../../src/probes/estimate.js';
import { loadSuite } from '../../src/probes/load.js';

// A small suite whose numbers can be followed by hand.
const suite: Suite = {
  name: 'tiny',
  version: '1',
  description: '',
  defaults: { sampling: { temperature: 0.7, maxTokens: 100 }, samples: 2 },
  probes: [
    // 40 characters of messages -> 10 tokens; suite max_tokens 100; run samples
    {
      id: probeId('a'),
      tags: [],
      prompt: {
        kind: 'chat',
        messages: [
          { role: 'system', content: 'x'.repeat(10) },
          { role: 'user', content: 'y'.repeat(30) },
        ],
      },
    },
    // 9 characters -> ceil(9/4) = 3 tokens; own max_tokens 5 and own samples 8
    {
      id: probeId('b'),
      tags: [],
      prompt: { kind: 'prefix', prefix: 'Once upon' },
      sampling: { maxTokens: 5 },
      samples: 8,
    },
  ] satisfies Probe[],
};

const cheap = modelRef('openai:cheap');
const dear = modelRef('anthropic:dear');
const local = modelRef('ollama:free');
const prices: Record<string, { inputPerMTok: number; outputPerMTok: number }> = {
  [cheap]: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  [dear]: { inputPerMTok: 3, outputPerMTok: 15 },
};
const price = (m: ModelRef) => prices[m] ?? { inputPerMTok: 0, outputPerMTok: 0 };

describe('estimateRun', () => {
  it('counts prompt tokens as characters / 4, rounded up', () => {
    expect(promptTokens(suite.probes[0]!)).toBe(10);
    expect(promptTokens(suite.probes[1]!)).toBe(3);
  });

  it('adds up requests, tokens and cost per model, with probe overrides winning over run and suite defaults', () => {
    const e = estimateRun(suite, [cheap, dear, local], 3, price);
    // probe a: 3 run samples; probe b: its own 8 samples.
    const requests = 3 + 8;
    const input = 3 * 10 + 8 * 3;
    const maxOut = 3 * 100 + 8 * 5;
    const typicalOut = Math.round(maxOut * TYPICAL_OUTPUT_FRACTION);
    expect(e.perModel.map((m) => m.requests)).toEqual([requests, requests, requests]);
    expect(e.requests).toBe(3 * requests);
    expect(e.inputTokens).toBe(3 * input);
    expect(e.outputTokens).toEqual({ typical: 3 * typicalOut, max: 3 * maxOut });
    const dearEstimate = e.perModel[1]!;
    expect(dearEstimate.costUsd.high).toBeCloseTo((input * 3 + maxOut * 15) / 1e6, 12);
    expect(dearEstimate.costUsd.low).toBeCloseTo((input * 3 + typicalOut * 15) / 1e6, 12);
    expect(e.perModel[2]!.costUsd).toEqual({ low: 0, high: 0 });
    expect(e.costUsd.high).toBeCloseTo(
      e.perModel.reduce((s, m) => s + m.costUsd.high, 0),
      12,
    );
    expect(e.costUsd.low).toBeLessThan(e.costUsd.high);
  });

  it('falls back to the suite default samples when the run gives none', () => {
    const e = estimateRun(suite, [cheap], undefined, price);
    expect(e.requests).toBe(2 + 8);
    expect(e.inputTokens).toBe(2 * 10 + 8 * 3);
  });

  it('estimates the built-in genes suite: 8 samples of at most 5 tokens per gene', () => {
    const genes = loadSuite('genes');
    const e = estimateRun(genes, [cheap], undefined, price, 1);
    expect(e.requests).toBe(genes.probes.length * 8);
    expect(e.outputTokens.max).toBe(genes.probes.length * 8 * 5);
    expect(e.outputTokens.typical).toBe(e.outputTokens.max);
  });

  it('formats one line for the terminal', () => {
    // 1000 run samples: per model 1008 requests, 10,024 input tokens, 100,040 max and 60,024 typical output tokens;
    // cost low = 0.0375180 + 0.930432, high = 0.0615276 + 1.530672.
    const line = formatEstimate(estimateRun(suite, [cheap, dear], 1000, price));
    expect(line).toBe('2,016 requests, ~20k input tokens, 120k-200k output tokens, $0.97-$1.59');
    expect(formatEstimate(estimateRun(suite, [cheap], 3, price))).toMatch(/, <\$0\.01-<\$0\.01$/);
    expect(formatEstimate(estimateRun(suite, [local], 3, price))).toMatch(/no price known/);
  });
});
