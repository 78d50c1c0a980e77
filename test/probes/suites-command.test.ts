import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { listSuites } from '../../src/probes/load.js';

/** Run the CLI in-process and capture what it writes. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('phylo suites', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  it('--json lists every built-in suite with version, probe count, tags and description', async () => {
    const { code, stdout } = await run(['suites', '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { name: string; version: string; probes: number; tags: string[]; description: string }[];
    expect(listed).toEqual(JSON.parse(JSON.stringify(listSuites())));
    const core = listed.find((s) => s.name === 'core')!;
    expect(core.probes).toBeGreaterThanOrEqual(60);
    expect(core.tags).toEqual(expect.arrayContaining(['identity', 'code', 'multilingual']));
    expect(listed.find((s) => s.name === 'genes')!.probes).toBeGreaterThanOrEqual(128);
  });

  it('prints a readable listing', async () => {
    const { code, stdout } = await run(['suites']);
    expect(code).toBe(0);
    for (const s of listSuites()) {
      expect(stdout).toMatch(new RegExp(`^${s.name}\\s+v${s.version.replace(/\./g, '\\.')}\\s+${s.probes} probes`, 'm'));
    }
    expect(stdout).toMatch(/tags: .*identity/);
  });

  it('shows one suite with its probes', async () => {
    const { code, stdout } = await run(['suites', 'core']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^core v1\.0\.0: \d+ probes/);
    expect(stdout).toContain('defaults: temperature 0.7, max_tokens 256, samples 1');
    expect(stdout).toMatch(/^reason-multiply\s+reasoning,arithmetic\s+A\s+What is 17 multiplied by 23\?$/m);
  });

  it('lists the suites of another folder with --dir', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-suites-cli-'));
    dirs.push(dir);
    fs.writeFileSync(
      path.join(dir, 'mine.yaml'),
      'name: mine\nversion: "0.1"\ndescription: my probes\ndefaults: {temperature: 0, max_tokens: 8, samples: 1}\nprobes:\n  - {id: p1, tags: [t1], prefix: "Hello"}\n',
    );
    const { code, stdout } = await run(['suites', '--dir', dir, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ name: 'mine', version: '0.1', description: 'my probes', probes: 1, tags: ['t1'], file: path.join(dir, 'mine.yaml') }]);
  });

  it('exits 2 with one line naming file, probe and field for a malformed suite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-suites-cli-'));
    dirs.push(dir);
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'name: bad\nversion: "1"\ndescription: d\ndefaults: {temperature: 0, max_tokens: 8, samples: 1}\nprobes:\n  - {id: arith-3, prefix: x, answer: {regex: "(abc"}}\n');
    const { code, stdout, stderr } = await run(['suites', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`phylo: ${file}: probe "arith-3": answer.regex: invalid regular expression\n`);
  });

  it('has help with an example', async () => {
    const { code, stdout } = await run(['suites', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('$ phylo suites');
  });
});
