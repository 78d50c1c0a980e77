// resolveProvider: prefixes to providers, keys from the environment only, one clear line when it cannot.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, ProviderUnavailableError } from '../../src/core/errors.js';
import {
  knownPrefixes,
  loadProfiles,
  profilesDir,
  providerFactories,
  resolveModelRef,
  resolveProvider,
} from '../../src/providers/registry.js';

describe('resolveProvider', () => {
  it('binds the openai prefix to providers/openai.yaml, base URL from OPENAI_BASE_URL', () => {
    const provider = resolveProvider('openai', {
      env: { OPENAI_API_KEY: 'sk-x-0000000000', OPENAI_BASE_URL: 'http://127.0.0.1:1234/v1' },
    });
    expect(provider).toMatchObject({ name: 'openai', kind: 'openai', baseURL: 'http://127.0.0.1:1234/v1' });
    expect(provider.rateLimit!.maxConcurrency).toBeGreaterThan(0);
    expect(provider.timeoutMs).toBeGreaterThan(0);
    expect(provider.capabilities.logprobs).toBe(true);
    expect(provider.temperatureRule('o3-mini').kind).toBe('default-only');
    expect(resolveProvider('openai', { env: { OPENAI_API_KEY: 'sk-x-0000000000' } }).baseURL).toBe(
      'https://api.openai.com/v1',
    );
  });

  it('an OpenAI-compatible profile is the openai adapter with its own base URL and key variable', () => {
    const profiles = loadProfiles(profilesDir({}));
    const [name, profile] = [...profiles].find(([, p]) => p.kind === 'openai' && p.name !== 'openai')!;
    const provider = resolveProvider(name, { env: { [profile.keyEnv!]: 'k-123' } });
    expect(provider.kind).toBe('openai');
    expect(provider.name).toBe(name);
    expect(provider.baseURL).toBe(profile.baseURL);
  });

  it('a missing key names the variable to set', () => {
    const err = (() => {
      try {
        resolveProvider('anthropic', { env: {} });
      } catch (e) {
        return e as ProviderUnavailableError;
      }
    })();
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err!.message).toBe('provider anthropic is unavailable: no API key: set ANTHROPIC_API_KEY');
  });

  it('an unknown prefix lists the known ones', () => {
    expect(() => resolveProvider('gemini', { env: {} })).toThrow(InputError);
    expect(() => resolveProvider('gemini', { env: {} })).toThrow(
      /unknown provider "gemini": known prefixes are .*anthropic.*ollama.*openai/,
    );
  });

  it('a bare kind works without a profile file (built-in profile)', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-empty-'));
    try {
      const provider = resolveProvider('ollama', { profilesDir: empty, env: { OLLAMA_HOST: 'localhost:5555' } });
      expect(provider.baseURL).toBe('http://localhost:5555');
      expect(() => resolveProvider('openai', { profilesDir: empty, env: {} })).toThrow(/set OPENAI_API_KEY/);
      expect(knownPrefixes(new Map())).toEqual(Object.keys(providerFactories).sort());
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it('resolveModelRef splits the ref and resolves its provider', () => {
    const { provider, model } = resolveModelRef('ollama:llama3.2:1b', { env: {} });
    expect(provider.kind).toBe('ollama');
    expect(model).toBe('llama3.2:1b');
  });
});
