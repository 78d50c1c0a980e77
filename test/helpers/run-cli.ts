// The CLI's main() run in this process, as a user's command line would run it, with what it prints captured:
// one copy for every command test (a child process per case costs seconds on a loaded machine).
import { vi } from 'vitest';
import { main } from '../../src/cli.js';

export interface CliRun {
  /** What main() returns: 0 ok, 1 a finding asked to fail on, 2 bad input. */
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface Captured<T> {
  readonly value: T;
  readonly out: string;
  readonly err: string;
}

const text = (chunk: string | Uint8Array): string =>
  typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');

/** Run `fn` with every write to stdout and stderr captured instead of printed; a rejection passes through. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<Captured<T>> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += text(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += text(chunk);
    return true;
  });
  try {
    const value = await fn();
    return { value, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/**
 * `phylo ...args` through main(): the exit code and the captured output. `env` is merged into process.env for the
 * call (undefined removes a variable) and put back afterwards; process.exitCode is reset so that one command's
 * code does not leak into the next.
 */
export async function runCli(
  args: readonly string[],
  opts: { readonly env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(opts.env ?? {})) {
    saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  process.exitCode = undefined;
  try {
    const { value: code, out, err } = await captureOutput(() => main(args));
    return { code, out, err };
  } finally {
    process.exitCode = undefined;
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
