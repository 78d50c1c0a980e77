import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/core/random.js';
import type { ChatMessage, SamplingParams } from '../../src/core/types.js';
import {
  cacheKey,
  cacheKeyJson,
  cacheKeyMaterial,
  canonicalJson,
  type CacheKeyInput,
} from '../../src/store/cache-key.js';
import { createHash } from 'node:crypto';

// The fast serializer must write exactly the bytes of the generic canonical form: a stored cache is only reused if
// the keys of a new run hash the same.
describe('cacheKeyJson', () => {
  const rng = seededRng(20261126);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const texts = [
    'hi',
    '',
    'say "quoted" \\ back',
    'naïve café ☕ 日本語',
    'line\nbreak\ttab',
    '\u0000\u001f control',
    '{"json":true}',
  ];
  const maybe = <T>(v: T): T | undefined => (rng() < 0.4 ? undefined : v);

  function randomInput(): CacheKeyInput {
    const sampling: SamplingParams = {
      temperature: maybe(pick([0, 0.7, 1, 1.5, 1e-7])),
      maxTokens: maybe(pick([1, 16, 4096])),
      topP: maybe(pick([0.1, 0.95, 1])),
      seed: maybe(pick([0, 7, 2 ** 31 - 1])),
      topLogprobs: maybe(pick([0, 5, 20])),
    } as SamplingParams;
    const messages: ChatMessage[] = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => ({
      role: pick(['system', 'user', 'assistant'] as const),
      content: pick(texts),
    }));
    return {
      providerKind: pick(['openai', 'ollama', 'anthropic', 'lab']),
      baseURL: pick(['http://127.0.0.1:1234/v1', 'https://api.openai.com/v1/', 'http://host//', '']),
      model: pick(['gpt-4o-mini', 'llama3.2:1b', 'm "odd" name']),
      prompt: rng() < 0.5 ? { kind: 'chat', messages } : { kind: 'prefix', prefix: pick(texts) },
      sampling,
      index: Math.floor(rng() * 50),
    };
  }

  it('is byte-equal to canonicalJson of the key material on varied inputs', () => {
    for (let i = 0; i < 500; i++) {
      const input = randomInput();
      const generic = canonicalJson(cacheKeyMaterial(input));
      expect(cacheKeyJson(input)).toBe(generic);
      expect(cacheKey(input)).toBe(createHash('sha256').update(generic).digest('hex'));
    }
  });

  it('rejects a non-finite number as the generic form does', () => {
    const input: CacheKeyInput = {
      providerKind: 'openai',
      baseURL: '',
      model: 'm',
      prompt: { kind: 'prefix', prefix: 'x' },
      sampling: { temperature: Number.NaN } as SamplingParams,
      index: 0,
    };
    expect(() => canonicalJson(cacheKeyMaterial(input))).toThrow(/not JSON/);
    expect(() => cacheKeyJson(input)).toThrow(/not JSON/);
  });
});

describe('cache key and seeds (issue 16)', () => {
  const input = (seed?: number): CacheKeyInput => ({
    providerKind: 'openai',
    baseURL: 'http://127.0.0.1:1/v1',
    model: 'm',
    prompt: { kind: 'prefix', prefix: 'p' },
    sampling: { temperature: 1, maxTokens: 8, ...(seed !== undefined ? { seed } : {}) },
    index: 0,
  });
  it('a seed changes the response, so it changes the key; the same seed gives the same key', () => {
    expect(cacheKey(input(7))).toBe(cacheKey(input(7)));
    expect(cacheKey(input(7))).not.toBe(cacheKey(input(8)));
    expect(cacheKey(input(7))).not.toBe(cacheKey(input()));
    expect(cacheKeyJson(input(7))).toContain('"seed":7');
  });
});
