// resolveProvider: prefixes to providers, keys from the environment only, one clear line when it cannot.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, ProviderUnavailableError } from '../../src/core/errors.js';
import { providerRegistry } from '../../src/commands/providers-setup.js';
import { PROVIDER_KIND_NAMES } from '../../src/core/provider-kinds.js';
import type { Provider } from '../../src/providers/provider.js';
import {
  builtInFactories,
  createProviderRegistry,
  knownPrefixes as builtInPrefixes,
  loadProfiles,
  profilesDir,
} from '../../src/providers/registry.js';

const { knownPrefixes, resolveModelRef, resolveProvider } = providerRegistry;

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
    const [name, profile] = [...profiles].find(([, p]) => p.kind === 'openai' && p.name !== 'openai' && p.baseURL)!;
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
    expect(() => resolveProvider('no-such-vendor', { env: {} })).toThrow(InputError);
    expect(() => resolveProvider('no-such-vendor', { env: {} })).toThrow(
      /unknown provider "no-such-vendor": known prefixes are .*anthropic.*gemini.*ollama.*openai/,
    );
  });

  it('a bare kind works without a profile file (built-in profile)', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-empty-'));
    try {
      const provider = resolveProvider('ollama', { profilesDir: empty, env: { OLLAMA_HOST: 'localhost:5555' } });
      expect(provider.baseURL).toBe('http://localhost:5555');
      expect(() => resolveProvider('openai', { profilesDir: empty, env: {} })).toThrow(/set OPENAI_API_KEY/);
      expect(knownPrefixes(new Map())).toEqual([...PROVIDER_KIND_NAMES].sort());
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

describe('createProviderRegistry', () => {
  it('knows only the network adapters until the entry point hands in lab and replay', () => {
    expect(Object.keys(builtInFactories).sort()).toEqual(['anthropic', 'ollama', 'openai']);
    expect(builtInPrefixes(new Map())).toEqual(['anthropic', 'ollama', 'openai']);
    // The shipped profiles' names and the built-in kinds; not lab (handed in by the entry point).
    const known = [...new Set([...loadProfiles(profilesDir({})).keys(), 'anthropic', 'ollama', 'openai'])].sort();
    expect(known).not.toContain('lab');
    expect(() => createProviderRegistry().resolveProvider('lab', { env: {} })).toThrow(
      `unknown provider "lab": known prefixes are ${known.join(', ')}`,
    );
  });

  it('builds a handed-in kind through the factory it was given, with the implicit profile', () => {
    const seen: string[] = [];
    const stub = { kind: 'lab', name: 'lab' } as unknown as Provider;
    const registry = createProviderRegistry({
      lab: (context) => {
        seen.push(`${context.profile.name}:${context.profile.kind}:${context.resultsDir}`);
        return stub;
      },
    });
    expect(registry.resolveProvider('lab', { env: {}, resultsDir: '/tmp/r' })).toBe(stub);
    expect(seen).toEqual(['lab:lab:/tmp/r']);
    expect(registry.knownPrefixes(new Map())).toEqual(['anthropic', 'lab', 'ollama', 'openai']);
  });

  it("the entry point's registry serves replay from a results folder, and says when there is no store", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-replay-'));
    try {
      expect(() => resolveProvider('replay', { env: {}, resultsDir: empty })).toThrow(
        /provider replay is unavailable: no store in .*phylo-replay-.*phylo import/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
