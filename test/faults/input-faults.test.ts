// Untrusted text and hostile numbers of issue 15: exports to a terminal, JSONL escapes, bidi overrides in model
// names, control characters in imported names, huge indices and sample counts, pathological suite regexes, and a
// password in a base URL.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeJsonUnsafe, oneLine } from '../../src/core/sanitize.js';
import type { RunName } from '../../src/core/types.js';
import { checkAnswer } from '../../src/probes/answer.js';
import { scrubSecrets } from '../../src/providers/scrub.js';
import { openStore } from '../../src/store/sqlite.js';
import { runCli } from '../helpers/run-cli.js';
import { workFolder, writeProfile, writeSuite } from './helpers.js';

let work: string;
let results: string;
// Title set, screen clear, OSC 8 link, DCS, cursor report request, 8-bit CSI, and a right-to-left override.
const HOSTILE =
  'A\u001b]0;pwned\u0007B\u001b[2JC\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\D\u001bPq#0\u001b\\E\u001b[6nF\u009b2JG\u202eH';

beforeAll(async () => {
  work = workFolder('phylo-input-faults-');
  results = path.join(work, 'results');
  const lines = [
    { model: 'gpt\u202Eevil', prompt: 'hi', text: HOSTILE },
    { model: 'plain', prompt: 'hi', text: 'fine' },
  ];
  fs.writeFileSync(path.join(work, 'hostile.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const r = await runCli(['import', 'jsonl', path.join(work, 'hostile.jsonl'), '--name', 'h', '--results', results]);
  expect(r.code).toBe(0);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function withTty<T>(fn: () => Promise<T>): Promise<T> {
  const had = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
  try {
    return await fn();
  } finally {
    if (had) Object.defineProperty(process.stdout, 'isTTY', had);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
}

describe('untrusted text on the way to a terminal', () => {
  it('export --format csv to a terminal strips escape sequences and shows bidi overrides', async () => {
    const r = await withTty(() => runCli(['export', 'h', '--format', 'csv', '--results', results]));
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/[\u001b\u0007\u009b\u0090\u202e]/);
    expect(r.out).toContain('ABClinkDEFG<U+202E>H');
    expect(r.out).toContain('gpt<U+202E>evil');
    expect(r.err).toMatch(/use --out for the bytes/);
  });

  it('export to a file keeps the bytes as stored', async () => {
    const out = path.join(work, 'h.csv');
    const r = await runCli(['export', 'h', '--format', 'csv', '--out', out, '--results', results]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain(HOSTILE);
  });

  it('JSONL escapes C1 controls and bidi overrides, and reads back the same', async () => {
    const r = await runCli(['export', 'h', '--format', 'jsonl', '--results', results]);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const texts = r.out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { text: string }).text);
    expect(texts).toContain(HOSTILE);
    expect(escapeJsonUnsafe(JSON.stringify('\u2066x\u2069'))).toBe('"\\u2066x\\u2069"');
  });

  it('human-readable lines show bidi overrides in model names', async () => {
    expect(oneLine('a\u202Eb\u2067c')).toBe('a<U+202E>b<U+2067>c');
    const r = await runCli(['show', 'h', '--results', results]);
    expect(r.out).not.toContain('\u202e');
    expect(`${r.out}${r.err}`).toContain('<U+202E>');
  });
});

describe('hostile input files and numbers: one line, exit 2', () => {
  it.each([
    ['a tab', 'm\tx'],
    ['a newline', 'm\nx'],
  ])('a model name with %s is refused at import', async (_, model) => {
    const file = path.join(work, `name-${model.length}-${model.charCodeAt(1)}.jsonl`);
    fs.writeFileSync(file, `${JSON.stringify({ model, prompt: 'hi', text: 'x' })}\n`);
    const r = await runCli(['import', 'jsonl', file, '--results', results]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/model name .* contains a tab, newline or other control character/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it.each([1e8, 1e15])('a JSONL index of %d is refused with the limit', async (index) => {
    const file = path.join(work, `index-${index}.jsonl`);
    fs.writeFileSync(file, `${JSON.stringify({ model: 'm', prompt: 'hi', text: 'x', index })}\n`);
    const r = await runCli(['import', 'jsonl', file, '--results', results]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/field "index": at most 9999/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('--samples 1000000000 is refused before anything is allocated or stored', async () => {
    writeProfile(work);
    const suite = writeSuite(path.join(work, 'one.yaml'), 3);
    const folder = path.join(work, 'samples-results');
    const r = await runCli(
      ['run', '--suite', suite, '--models', 'local:m1', '--samples', '1000000000', '--results', folder],
      {
        env: { PHYLO_PROFILES: path.join(work, 'profiles'), LOCAL_URL: 'http://127.0.0.1:1/v1' },
      },
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--samples: 1000000000 samples per probe is over the limit of 10000/);
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('a run over 2,000,000 samples in all is refused', async () => {
    const suite = writeSuite(path.join(work, 'many.yaml'), 300);
    const r = await runCli(['run', '--suite', suite, '--models', 'local:a,local:b', '--samples', '5000'], {
      env: { PHYLO_PROFILES: path.join(work, 'profiles'), LOCAL_URL: 'http://127.0.0.1:1/v1' },
    });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/3000000 samples, over the limit of 2000000/);
  });
});

describe('pathological regexes and credentials', () => {
  it('a catastrophic suite regex on a crafted answer ends (no match) instead of hanging', () => {
    const crafted = `${'a'.repeat(50_000)}!`;
    expect(checkAnswer({ kind: 'regex', pattern: '^(a+)+$' }, crafted)).toBe(false);
    expect(checkAnswer({ kind: 'regex', pattern: '^(a|aa)+$' }, crafted)).toBe(false);
    // Ordinary patterns still answer.
    expect(checkAnswer({ kind: 'regex', pattern: '^a+!$' }, crafted)).toBe(true);
  });

  it('a password in a base URL is redacted like a key, in messages and stored errors', async () => {
    expect(scrubSecrets('cannot reach https://alice:s3cr3t-pw@proxy:8443/v1: refused', [])).toBe(
      'cannot reach https://alice:[redacted]@proxy:8443/v1: refused',
    );
    const suite = writeSuite(path.join(work, 'pw.yaml'), 1);
    const folder = path.join(work, 'pw-results');
    const r = await runCli(
      ['run', '--suite', suite, '--models', 'local:m1', '--name', 'pw', '--retries', '0', '--results', folder],
      { env: { PHYLO_PROFILES: path.join(work, 'profiles'), LOCAL_URL: 'http://bob:hunter2hunter2@127.0.0.1:1/v1' } },
    );
    expect(r.code).toBe(1);
    expect(`${r.out}${r.err}`).not.toContain('hunter2');
    const store = openStore(folder);
    const [sample] = store.samplesOf('pw' as RunName);
    store.close();
    expect(sample!.outcome.status).toBe('error');
    expect(JSON.stringify(sample)).not.toContain('hunter2');
  });
});
