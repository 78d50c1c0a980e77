// Shared set-up of the fault-injection suite: a work folder with a profile for our local OpenAI server, suites of
// n probes, and `phylo` in a child process (as a user runs it) with its peak RSS recorded.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../collect/cli.js';

export interface Child {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size in MiB (from test/hostile/rss-probe.mjs). */
  readonly peakMiB: number;
}

export function workFolder(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A profile `local` (OpenAI protocol unless `kind`; base URL from LOCAL_URL) in WORK/profiles, plus extra lines. */
export function writeProfile(
  work: string,
  extra: readonly string[] = [],
  kind: 'openai' | 'anthropic' | 'ollama' = 'openai',
): string {
  const dir = path.join(work, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  const lines = [
    'name: local',
    `kind: ${kind}`,
    'baseURLEnv: LOCAL_URL',
    'rateLimit:',
    '  maxConcurrency: 4',
    ...extra,
  ];
  fs.writeFileSync(path.join(dir, 'local.yaml'), `${lines.join('\n')}\n`);
  return dir;
}

export function writeSuite(file: string, probes: number, samples = 1): string {
  const lines = ['name: faults', 'version: "1"', 'description: fault suite', 'defaults:', '  temperature: 0.5'];
  lines.push('  max_tokens: 32', `  samples: ${samples}`, 'probes:');
  for (let i = 0; i < probes; i++)
    lines.push(`  - id: q${i}`, '    tags: [t]', '    messages:', `      - { role: user, content: "Question ${i}" }`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** `phylo ...args` in a child process with a clean environment plus `env`; resolves when it exits. */
export function phylo(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Child> {
  const rssFile = path.join(os.tmpdir(), `phylo-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const probe = path.join(REPO, 'test/hostile/rss-probe.mjs');
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', probe, 'src/cli.ts', ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', PHYLO_TEST_RSS_FILE: rssFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      let peakMiB = Number.NaN;
      try {
        peakMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
        fs.rmSync(rssFile, { force: true });
      } catch {
        // no probe output (the child died before exit handlers): NaN fails any memory assertion
      }
      resolve({ code, stdout, stderr, peakMiB });
    }),
  );
}

/** The (model, last user message) of each chat request the server saw, to count requests per sample. */
export function cellsOf(bodies: readonly unknown[]): string[] {
  return bodies.map((body) => {
    const b = body as { model: string; messages: { content: string }[] };
    return `${b.model}|${b.messages.at(-1)!.content}`;
  });
}
