// A closed pipe ends the CLI quietly (issue 14/15): `phylo genotype --help | head -1` and any output into a pipe
// whose reader has gone exit 0 with nothing on stderr, as a Unix tool stopped by SIGPIPE would, not with an EPIPE
// stack trace. The reader's end is closed before the child writes, so every write meets EPIPE.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function intoClosedPipe(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Our end of stdout closes at once: the child's first write (seconds later, after start-up) gets EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('output into a closed pipe', () => {
  it('phylo genotype --help | head -1 ends with status 0 and no stack trace', async () => {
    const r = await intoClosedPipe(['genotype', '--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a command printing a tree ends the same way', async () => {
    const matrix = path.join(REPO, '../shared/data/phylo-reference/euclid100.phy');
    const r = await intoClosedPipe([
      'tree',
      '--matrix',
      matrix,
      '--out',
      fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-epipe-')),
    ]);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.code).toBe(0);
  });

  it('without the handler the same write crashes (the test can fail)', async () => {
    const child = spawn(process.execPath, ['-e', "setTimeout(() => process.stdout.write('x\\n'), 300)"], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/EPIPE/);
  });
});
