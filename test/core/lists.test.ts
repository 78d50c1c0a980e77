// One list per concept: provider kinds with their variables, defaults, and the default run name.
import { describe, expect, it } from 'vitest';
import { attemptsFor, DEFAULTS } from '../../src/core/defaults.js';
import { isProviderKind, PROVIDER_KIND_NAMES, PROVIDER_KINDS } from '../../src/core/provider-kinds.js';
import { runName } from '../../src/core/refs.js';
import { defaultRunName } from '../../src/core/run-name.js';
import { implicitProfile, ProfileSchema } from '../../src/providers/profile.js';

describe('provider kinds', () => {
  it('the profile schema accepts exactly the listed kinds', () => {
    expect([...ProfileSchema.shape.kind.options].sort()).toEqual([...PROVIDER_KIND_NAMES].sort());
    expect(isProviderKind('openai')).toBe(true);
    expect(isProviderKind('gemini')).toBe(false);
  });

  it('built-in profiles read the key and base-URL variables of the list', () => {
    for (const kind of PROVIDER_KIND_NAMES) {
      const profile = implicitProfile(kind);
      expect(profile.keyEnv).toBe(PROVIDER_KINDS[kind].keyEnv);
      expect(profile.baseURLEnv).toBe(PROVIDER_KINDS[kind].baseURLEnv);
      expect(profile.timeoutMs).toBe(DEFAULTS.timeoutMs);
      expect(profile.rateLimit.maxConcurrency).toBe(DEFAULTS.concurrency);
    }
    expect(PROVIDER_KINDS.anthropic.keyEnv).toBe('ANTHROPIC_API_KEY');
    expect(PROVIDER_KINDS.ollama.baseURLEnv).toBe('OLLAMA_HOST');
  });
});

describe('defaults', () => {
  it('retries count after the first attempt', () => {
    expect(attemptsFor(DEFAULTS.retries)).toBe(DEFAULTS.retries + 1);
    expect(attemptsFor(0)).toBe(1);
  });
});

describe('defaultRunName', () => {
  it('is suite-YYYYMMDD-HHMMSS in UTC, a valid run name whatever the suite is called', () => {
    const now = new Date('2026-11-26T05:00:09Z');
    expect(defaultRunName('core', now)).toBe('core-20261126-050009');
    expect(defaultRunName('my suite/v2', now)).toBe('my-suite-v2-20261126-050009');
    expect(defaultRunName('--', now)).toBe('run-20261126-050009');
    for (const suite of ['core', 'my suite/v2', '--', 'ünïcode', 'x'.repeat(300)])
      expect(() => runName(defaultRunName(suite, now))).not.toThrow();
  });
});
