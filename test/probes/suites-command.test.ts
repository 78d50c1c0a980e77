import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listSuites } from '../../src/probes/load.js';
import { runCli } from '../helpers/run-cli.js';

describe('phylo suites', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('--json lists every built-in suite with version, probe count, tags and description', async () => {
    const { code, out } = await runCli(['suites', '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(out) as {
      name: string;
      version: string;
      probes: number;
      tags: string[];
      description: string;
    }[];
    expect(listed).toEqual(JSON.parse(JSON.stringify(listSuites())));
    const core = listed.find((s) => s.name === 'core')!;
    expect(core.probes).toBeGreaterThanOrEqual(60);
    expect(core.tags).toEqual(expect.arrayContaining(['identity', 'code', 'multilingual']));
    expect(listed.find((s) => s.name === 'genes')!.probes).toBeGreaterThanOrEqual(128);
  });

  it('prints a readable listing', async () => {
    const { code, out } = await runCli(['suites']);
    expect(code).toBe(0);
    for (const s of listSuites()) {
      expect(out).toMatch(new RegExp(`^${s.name}\\s+v${s.version.replace(/\./g, '\\.')}\\s+${s.probes} probes`, 'm'));
    }
    expect(out).toMatch(/tags: .*identity/);
  });

  it('shows one suite with its probes', async () => {
    const { code, out } = await runCli(['suites', 'core']);
    expect(code).toBe(0);
    expect(out).toMatch(/^core v1\.0\.0: \d+ probes/);
    expect(out).toContain('defaults: temperature 0.7, max_tokens 256, samples 1');
    expect(out).toMatch(/^reason-multiply\s+reasoning,arithmetic\s+A\s+What is 17 multiplied by 23\?$/m);
  });

  it('lists the suites of another folder with --dir', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-suites-cli-'));
    dirs.push(dir);
    fs.writeFileSync(
      path.join(dir, 'mine.yaml'),
      'name: mine\nversion: "0.1"\ndescription: my probes\ndefaults: {temperature: 0, max_tokens: 8, samples: 1}\nprobes:\n  - {id: p1, tags: [t1], prefix: "Hello"}\n',
    );
    const { code, out } = await runCli(['suites', '--dir', dir, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      {
        name: 'mine',
        version: '0.1',
        description: 'my probes',
        probes: 1,
        tags: ['t1'],
        file: path.join(dir, 'mine.yaml'),
      },
    ]);
  });

  it('exits 2 with one line naming file, probe and field for a malformed suite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-suites-cli-'));
    dirs.push(dir);
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      'name: bad\nversion: "1"\ndescription: d\ndefaults: {temperature: 0, max_tokens: 8, samples: 1}\nprobes:\n  - {id: arith-3, prefix: x, answer: {regex: "(abc"}}\n',
    );
    const { code, out, err } = await runCli(['suites', file]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`phylo: ${file}: probe "arith-3": answer.regex: invalid regular expression\n`);
  });

  it('has help with an example', async () => {
    const { code, out } = await runCli(['suites', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('$ phylo suites');
  });
});
