// The response cache key: a SHA-256 of a canonical JSON of everything that changes a response (DESIGN.md), and
// nothing else. There is no parameter for a secret on purpose: the API key is not in scope here at all.
import { createHash } from 'node:crypto';
import type { Prompt, SamplingParams } from '../core/types.js';

export interface CacheKeyInput {
  /** The adapter kind (`openai`, `ollama`, ...), not the profile name: two profiles on one server share answers. */
  readonly providerKind: string;
  readonly baseURL: string;
  readonly model: string;
  readonly prompt: Prompt;
  readonly sampling: SamplingParams;
  readonly index: number;
}

/** JSON with object keys sorted and undefined fields dropped, so equal inputs give equal bytes (RFC 8785 in spirit). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`canonicalJson: ${value} is not JSON`);
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function cacheKey(input: CacheKeyInput): string {
  const s = input.sampling;
  const material = {
    v: 1,
    provider: input.providerKind,
    baseURL: input.baseURL.replace(/\/+$/, ''),
    model: input.model,
    prompt: input.prompt.kind === 'chat' ? { messages: input.prompt.messages.map((m) => ({ role: m.role, content: m.content })) } : { prefix: input.prompt.prefix },
    sampling: { temperature: s.temperature, top_p: s.topP, max_tokens: s.maxTokens, seed: s.seed, logprobs: s.topLogprobs },
    index: input.index,
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}

/** The text a prompt shows, used to match probes across suites (replay, imports). */
export function promptText(prompt: Prompt): string {
  return prompt.kind === 'prefix' ? prompt.prefix : prompt.messages.map((m) => m.content).join('\n\n');
}
