// natural's package index loads its storage back-ends, and one of them runs dotenv: it reads ./.env into process.env
// and prints to stdout. We load natural by deep path (src/phenotype/natural.ts); this checks, in a fresh process
// started in a folder holding a .env file, that using every part of natural we use reads no .env and prints nothing,
// and (the control) that the package index would have done both, so the check can fail.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../collect/fakes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const loader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const MARKER = 'PHYLO_DOTENV_MARKER';

const cwd = tempDir('phylo-natural-env-');
fs.writeFileSync(path.join(cwd, '.env'), `${MARKER}=read-from-dotenv\n`);
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

/** Run ESM `code` in a fresh node with tsx, in the folder with the .env; what it wrote, and the marker it saw. */
function inFreshProcess(code: string): { stdout: string; stderr: string; status: number | null } {
  const env = { ...process.env };
  delete env[MARKER];
  const r = spawnSync(process.execPath, ['--import', loader, '--input-type=module', '-e', code], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const module = (rel: string): string => JSON.stringify(pathToFileURL(path.join(root, rel)).href);

describe('natural at import', () => {
  it('our deep imports and the trait code that uses them read no .env and print nothing', () => {
    const r = inFreshProcess(`
      const n = await import(${module('src/phenotype/natural.ts')});
      await import(${module('src/phenotype/traits.ts')});
      await import(${module('src/phenotype/features.ts')});
      const words = new (n.naturalTokenizers().WordTokenizer)().tokenize('A good and happy day');
      const Analyzer = n.naturalSentimentAnalyzer();
      const score = new Analyzer('English', null, 'afinn').getSentiment(words);
      const stop = n.naturalStopWords().length;
      process.stderr.write(JSON.stringify({ marker: process.env.${MARKER} ?? null, words, score, stop }));
    `);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const seen = JSON.parse(r.stderr) as { marker: string | null; words: string[]; score: number; stop: number };
    expect(seen.marker).toBeNull();
    expect(seen.words).toEqual(['A', 'good', 'and', 'happy', 'day']);
    expect(seen.score).toBeGreaterThan(0);
    expect(seen.stop).toBeGreaterThan(100);
  });

  it('control: the package index does read the .env (so the check above can fail)', () => {
    const r = inFreshProcess(`
      import { createRequire } from 'node:module';
      const require = createRequire(${module('package.json')});
      require('natural');
      process.stderr.write(JSON.stringify({ marker: process.env.${MARKER} ?? null }));
    `);
    expect(r.status, r.stderr).toBe(0);
    const seen = JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('{'))) as { marker: string | null };
    expect(seen.marker).toBe('read-from-dotenv');
  });

  it('no file in src/ loads the natural package index', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (
          /\.tsx?$/.test(e.name) &&
          /(from\s+|require\(|import\()\s*['"]natural['"]/.test(fs.readFileSync(f, 'utf8'))
        )
          offenders.push(path.relative(root, f));
      }
    };
    walk(path.join(root, 'src'));
    expect(offenders).toEqual([]);
  });
});
