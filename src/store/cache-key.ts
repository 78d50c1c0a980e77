// The response cache key: a SHA-256 of a canonical JSON of everything that changes a response (DESIGN.md), and
// nothing else. There is no parameter for a secret on purpose: the API key is not in scope here at all.
import crypto, { createHash } from 'node:crypto';
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

/** The object whose canonical JSON is hashed; its shape is the cache's format (bump `v` to change it). */
export function cacheKeyMaterial(input: CacheKeyInput): Record<string, unknown> {
  const s = input.sampling;
  return {
    v: 1,
    provider: input.providerKind,
    baseURL: trimSlashes(input.baseURL),
    model: input.model,
    prompt:
      input.prompt.kind === 'chat'
        ? { messages: input.prompt.messages.map((m) => ({ role: m.role, content: m.content })) }
        : { prefix: input.prompt.prefix },
    sampling: {
      temperature: s.temperature,
      top_p: s.topP,
      max_tokens: s.maxTokens,
      seed: s.seed,
      logprobs: s.topLogprobs,
    },
    index: input.index,
  };
}

/**
 * `canonicalJson(cacheKeyMaterial(input))` written out for this one shape: keys already in sorted order, no
 * intermediate objects. A run computes a key per planned sample before its first request, so this is on the
 * critical path of every collection; a test holds it byte-equal to the generic form.
 */
export function cacheKeyJson(input: CacheKeyInput): string {
  const p = input.prompt;
  let prompt: string;
  if (p.kind === 'chat') {
    prompt = '{"messages":[';
    for (let i = 0; i < p.messages.length; i++) {
      const m = p.messages[i]!;
      const content = m.content === undefined ? '' : `"content":${leaf(m.content)}`;
      const role = m.role === undefined ? '' : `"role":${leaf(m.role)}`;
      prompt += `${i > 0 ? ',' : ''}{${content}${content && role ? ',' : ''}${role}}`;
    }
    prompt += ']}';
  } else {
    prompt = p.prefix === undefined ? '{}' : `{"prefix":${leaf(p.prefix)}}`;
  }
  const s = input.sampling;
  // Sorted: logprobs, max_tokens, seed, temperature, top_p; undefined fields are left out.
  const fields: string[] = [];
  if (s.topLogprobs !== undefined) fields.push(`"logprobs":${leaf(s.topLogprobs)}`);
  if (s.maxTokens !== undefined) fields.push(`"max_tokens":${leaf(s.maxTokens)}`);
  if (s.seed !== undefined) fields.push(`"seed":${leaf(s.seed)}`);
  if (s.temperature !== undefined) fields.push(`"temperature":${leaf(s.temperature)}`);
  if (s.topP !== undefined) fields.push(`"top_p":${leaf(s.topP)}`);
  return (
    `{"baseURL":${leaf(trimSlashes(input.baseURL))},"index":${leaf(input.index)},` +
    `"model":${leaf(input.model)},"prompt":${prompt},` +
    `"provider":${leaf(input.providerKind)},"sampling":{${fields.join(',')}},"v":1}`
  );
}

const leaf = (value: unknown): string => canonicalJson(value);
const trimSlashes = (url: string): string => url.replace(/\/+$/, '');

/** SHA-256 hex of a string: the one-shot crypto.hash (Node >= 20.12) is several times cheaper than a Hash object. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => createHash('sha256').update(text).digest('hex');

export function cacheKey(input: CacheKeyInput): string {
  return sha256Hex(cacheKeyJson(input));
}

export interface EmbeddingKeyInput {
  /** The adapter kind, as in CacheKeyInput: two profiles on one server share embeddings. */
  readonly providerKind: string;
  readonly baseURL: string;
  readonly model: string;
  readonly text: string;
}

/** The embedding cache key: SHA-256 of what determines an embedding, and nothing else (no key, no profile name). */
export function embeddingCacheKey(input: EmbeddingKeyInput): string {
  const material = {
    v: 1,
    what: 'embedding',
    provider: input.providerKind,
    baseURL: input.baseURL.replace(/\/+$/, ''),
    model: input.model,
    text: input.text,
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}
