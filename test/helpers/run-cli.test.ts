// The shared CLI runner: what it captures, and that it leaves process state as it found it.
import { describe, expect, it } from 'vitest';
import { captureOutput, runCli } from './run-cli.js';

describe('captureOutput', () => {
  it('captures strings and bytes written to stdout and stderr and returns the value', async () => {
    const r = await captureOutput(async () => {
      process.stdout.write('out ');
      process.stdout.write(Buffer.from('é\n', 'utf8'));
      process.stderr.write('err\n');
      return 42;
    });
    expect(r).toEqual({ value: 42, out: 'out é\n', err: 'err\n' });
  });

  it('passes a rejection through', async () => {
    await expect(captureOutput(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});

describe('runCli', () => {
  it('returns the exit code and the output of main()', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = await runCli(['no-such-command']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown command/);
  });

  it('puts the environment and process.exitCode back', async () => {
    const name = 'PHYLO_RUN_CLI_TEST_VAR';
    process.env.PHYLO_RUN_CLI_TEST_KEEP = 'kept';
    try {
      await runCli(['--version'], { env: { [name]: 'set', PHYLO_RUN_CLI_TEST_KEEP: undefined } });
      expect(process.env[name]).toBeUndefined();
      expect(process.env.PHYLO_RUN_CLI_TEST_KEEP).toBe('kept');
      expect(process.exitCode).toBeUndefined();
    } finally {
      delete process.env.PHYLO_RUN_CLI_TEST_KEEP;
    }
  });
});
