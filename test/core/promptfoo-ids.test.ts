import { describe, expect, it } from 'vitest';
import { modelRef, parseModelRef } from '../../src/core/refs.js';

describe('promptfoo-style model ids', () => {
  it('drop the API segment: the stored ref is canonical', () => {
    expect(modelRef('openai:chat:gpt-4o-mini')).toBe('openai:gpt-4o-mini');
    expect(modelRef('openai:completion:gpt-3.5-turbo-instruct')).toBe('openai:gpt-3.5-turbo-instruct');
    expect(modelRef('anthropic:messages:claude-3-5-haiku-latest')).toBe('anthropic:claude-3-5-haiku-latest');
    expect(modelRef('ollama:chat:llama3.2')).toBe('ollama:llama3.2');
    expect(parseModelRef('ollama:chat:llama3.2:1b')).toEqual({ prefix: 'ollama', model: 'llama3.2:1b' });
    expect(parseModelRef('openrouter:chat:meta-llama/llama-3.1-8b-instruct')).toEqual({
      prefix: 'openrouter',
      model: 'meta-llama/llama-3.1-8b-instruct',
    });
  });

  it('leave our own refs and Ollama tags alone', () => {
    expect(modelRef('openai:gpt-4o-mini')).toBe('openai:gpt-4o-mini');
    expect(parseModelRef('ollama:llama3.2:latest')).toEqual({ prefix: 'ollama', model: 'llama3.2:latest' });
    expect(parseModelRef('ollama:chat')).toEqual({ prefix: 'ollama', model: 'chat' });
    expect(parseModelRef('ollama:chat:')).toEqual({ prefix: 'ollama', model: 'chat:' });
    expect(parseModelRef('lab:base')).toEqual({ prefix: 'lab', model: 'base' });
  });

  it('still refuse a ref without a provider', () => {
    expect(() => modelRef('gpt-4o-mini')).toThrow(/expected provider:model/);
  });
});
