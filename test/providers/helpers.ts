// Shared set-up for the provider tests: a provider of a given kind bound to one of our local servers.
import type { CallOptions, Provider } from '../../src/providers/provider.js';
import { parseProfile } from '../../src/providers/profile.js';
import { providerRegistry } from '../../src/commands/providers-setup.js';
import type { SamplingParams } from '../../src/core/types.js';

// Dummy keys are assembled at run time so that no committed line looks like a real key to secret scanners.
export const KEY = ['sk', 'test-0123456789abcdefghij'].join('-');

/** A provider named `local` of this kind, pointed at `url`, keyed with KEY unless `keyEnv: undefined` is given. */
export function localProvider(
  kind: 'openai' | 'anthropic' | 'ollama',
  url: string,
  profile: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = { LOCAL_KEY: KEY },
): Provider {
  const p = parseProfile({ name: 'local', kind, baseURL: url, keyEnv: 'LOCAL_KEY', ...profile }, 'local.yaml');
  return providerRegistry.resolveProvider('local', { profiles: new Map([['local', p]]), env });
}

export function call(timeoutMs = 2000, signal: AbortSignal = new AbortController().signal): CallOptions {
  return { signal, timeoutMs };
}

export const sampling = (over: Partial<SamplingParams> = {}): SamplingParams => ({
  temperature: 0.5,
  maxTokens: 64,
  ...over,
});

/** The rejection of a promise (fails the test if it resolves). */
// biome-ignore lint/suspicious/noExplicitAny: callers read the error's fields (kind, status, retryAfterMs) directly
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
