// Profiles: the shipped ones load; a bad one gives one line naming the file and the field; prices and Retry-After.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadProfiles, parseProfile, priceFor, profilesDir } from '../../src/providers/profile.js';
import { retryAfterMs } from '../../src/providers/retry-after.js';
import { scrubSecrets } from '../../src/providers/scrub.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-profiles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('shipped profiles', () => {
  it('load from the repo providers/ folder, with the kinds and key variables they promise', () => {
    const profiles = loadProfiles(profilesDir({}));
    expect(profiles.get('openai')).toMatchObject({
      kind: 'openai',
      keyEnv: 'OPENAI_API_KEY',
      baseURLEnv: 'OPENAI_BASE_URL',
    });
    expect(profiles.get('anthropic')).toMatchObject({ kind: 'anthropic', keyEnv: 'ANTHROPIC_API_KEY' });
    expect(profiles.get('ollama')).toMatchObject({ kind: 'ollama', baseURLEnv: 'OLLAMA_HOST' });
    expect(profiles.get('ollama')!.keyEnv).toBeUndefined();
    const compatible = [...profiles.values()].filter((p) => p.kind === 'openai' && p.name !== 'openai');
    expect(compatible.length).toBeGreaterThanOrEqual(1);
    for (const p of compatible) {
      // A local server (vLLM, LM Studio) on loopback needs no key; a hosted one is https (or its own variable: Azure).
      if (p.baseURL?.startsWith('http://127.0.0.1')) expect(p.keyEnv).toBeUndefined();
      else {
        if (p.baseURL === undefined) expect(p.baseURLEnv).toMatch(/^[A-Z_]+$/);
        else expect(p.baseURL).toMatch(/^https:\/\//);
        expect(p.keyEnv).toMatch(/^[A-Z_]+$/);
      }
    }
    for (const p of profiles.values()) expect(p.rateLimit.maxConcurrency).toBeGreaterThan(0);
  });

  it('price the models they list, most specific pattern first', () => {
    const openai = loadProfiles(profilesDir({})).get('openai')!;
    const mini = priceFor(openai, 'gpt-4o-mini-2024-07-18');
    const full = priceFor(openai, 'gpt-4o-2024-08-06');
    expect(mini.inputPerMTok).toBeGreaterThan(0);
    expect(full.inputPerMTok).toBeGreaterThan(mini.inputPerMTok);
    expect(openai.prices['gpt-4o-mini*']).toEqual({ input: mini.inputPerMTok, output: mini.outputPerMTok });
  });
});

describe('a malformed profile', () => {
  it('names the file and the field, on one line', () => {
    const dir = folder({ 'bad.yaml': 'name: bad\nkind: openai\ntimeoutMs: soon\n' });
    const err = inputError(() => loadProfiles(dir));
    expect(err.message).toContain(path.join(dir, 'bad.yaml'));
    expect(err.message).toContain('field "timeoutMs"');
    expect(err.message).not.toContain('\n');
  });

  it('names a nested field', () => {
    const err = inputError(() =>
      parseProfile({ name: 'x', kind: 'openai', prices: { 'gpt-*': { input: 'cheap', output: 1 } } }, 'x.yaml'),
    );
    expect(err.message).toMatch(/^x\.yaml: field "prices\.gpt-\*\.input": /);
  });

  it('names an unknown kind and an unknown field', () => {
    expect(inputError(() => parseProfile({ name: 'x', kind: 'gemini' }, 'x.yaml')).message).toContain('field "kind"');
    expect(
      inputError(() => parseProfile({ name: 'x', kind: 'openai', baseUrl: 'http://h' }, 'x.yaml')).message,
    ).toContain('field "baseUrl": unknown field');
  });

  it('refuses a key in the file without repeating it', () => {
    const secret = 'sk-in-a-file-0123456789';
    const err = inputError(() => parseProfile({ name: 'x', kind: 'openai', apiKey: secret }, 'x.yaml'));
    expect(err.message).toContain('field "apiKey"');
    expect(err.message).toContain('keyEnv');
    expect(err.message).not.toContain(secret);
    const err2 = inputError(() => parseProfile({ name: 'x', kind: 'openai', keyEnv: secret }, 'x.yaml'));
    expect(err2.message).toContain('field "keyEnv"');
    expect(err2.message).not.toContain(secret);
  });

  it('rejects a bad regex, bad YAML and duplicate names', () => {
    expect(
      inputError(() => parseProfile({ name: 'x', kind: 'openai', temperature: { defaultOnly: ['^o[1-'] } }, 'x.yaml'))
        .message,
    ).toContain('field "temperature.defaultOnly.0"');
    expect(inputError(() => loadProfiles(folder({ 'y.yaml': 'name: [unclosed\n' }))).message).toMatch(
      /y\.yaml: not valid YAML/,
    );
    const dup = inputError(() =>
      loadProfiles(folder({ 'a.yaml': 'name: same\nkind: ollama\n', 'b.yaml': 'name: same\nkind: ollama\n' })),
    );
    expect(dup.message).toMatch(/b\.yaml: field "name": profile same is also defined in .*a\.yaml/);
  });

  it('a missing folder is one clear line', () => {
    expect(inputError(() => loadProfiles('/nonexistent/profiles')).message).toContain(
      '/nonexistent/profiles does not exist',
    );
  });
});

describe('priceFor', () => {
  const profile = {
    prices: {
      'm-*': { input: 1, output: 2 },
      'm-large*': { input: 10, output: 20 },
      'm-large-v2': { input: 5, output: 6 },
    },
  };
  it('exact beats patterns, the longer pattern beats the shorter, unknown is free', () => {
    expect(priceFor(profile, 'm-large-v2')).toEqual({ inputPerMTok: 5, outputPerMTok: 6 });
    expect(priceFor(profile, 'm-large-v3')).toEqual({ inputPerMTok: 10, outputPerMTok: 20 });
    expect(priceFor(profile, 'm-small')).toEqual({ inputPerMTok: 1, outputPerMTok: 2 });
    expect(priceFor(profile, 'other')).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads retry-after-ms, seconds and HTTP dates (RFC 9110)', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now)).toBe(1500);
    expect(retryAfterMs(new Headers({ 'Retry-After': '2' }), now)).toBe(2000);
    expect(retryAfterMs({ 'Retry-After': '0.5' }, now)).toBe(500);
    expect(retryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }, now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after-ms': '-5' }, now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('scrubSecrets', () => {
  const key = ['sk', 'proj-AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
  it('removes the key, any 8-character run of it, key shapes and bearer tokens', () => {
    expect(scrubSecrets(`Incorrect API key provided: ${key}.`, [key])).not.toContain('AbCdEfGh');
    const partial = scrubSecrets(`key ending ...MnOpQrStUvWx rejected`, [key]);
    expect(partial).not.toContain('MnOpQrSt');
    expect(partial).toContain('rejected');
    expect(scrubSecrets('saw sk-ant-api03-zzzzzzzzzz here', [])).toBe('saw [redacted] here');
    expect(scrubSecrets('Authorization: Bearer abc.def', [])).toBe('Authorization: Bearer [redacted]');
    expect(scrubSecrets('plain message about token_logprobs', [undefined])).toBe('plain message about token_logprobs');
  });
});
