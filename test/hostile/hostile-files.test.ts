// A corpus of hostile files (issue 15), generated here, each given to the real CLI in a child process with a capped
// heap: every one must be refused with exit 2 and one line on stderr (never a stack trace), under a memory ceiling
// (peak RSS measured in the child by rss-probe.mjs). A file with a byte-order mark must be accepted.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../src/genotype/safetensors-write.js';
import { runCli } from '../helpers/run-cli.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REF = path.join(REPO, '../shared/data/phylo-reference');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-hostile-'));
/** Peak RSS of each refused case, printed at the end (the numbers the README's limits section quotes). */
const measured: string[] = [];
afterAll(() => {
  fs.rmSync(DIR, { recursive: true, force: true });
  if (measured.length > 0) console.log(`peak RSS of the CLI child per hostile case:\n${measured.join('\n')}`);
});

/** The V8 heap a child may use, and the peak RSS it may reach (the CLI under tsx idles at ~190 MB). */
const HEAP_MB = 256;
const RSS_CEILING_MB = 450;

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly rssMb: number;
}

function phylo(args: readonly string[]): Outcome {
  const rssFile = path.join(DIR, `rss-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      '--import',
      'tsx',
      '--import',
      './test/hostile/rss-probe.mjs',
      'src/cli.ts',
      ...args,
    ],
    {
      cwd: REPO,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', PHYLO_TEST_RSS_FILE: rssFile },
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 << 20,
    },
  );
  const rssKb = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : Number.NaN;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, rssMb: rssKb / 1024 };
}

function file(name: string, content: string | Buffer): string {
  const f = path.join(DIR, name);
  fs.writeFileSync(f, content);
  return f;
}

/** Exit 2, exactly one line on stderr that starts `phylo:` and matches `what`, no stack frame, under the ceiling. */
function expectRefused(r: Outcome, what: RegExp): void {
  measured.push(`  ${r.rssMb.toFixed(0)} MB  ${what.source.slice(0, 60)}`);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, r.stderr.slice(0, 2000)).toHaveLength(1);
  expect(lines[0]).toMatch(/^phylo: /);
  expect(lines[0]).toMatch(what);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
  expect(r.rssMb).toBeLessThan(RSS_CEILING_MB);
}

// ---- generators -------------------------------------------------------------------------------------------------

/** GGUF v3 with one metadata key whose value is an array of an array of ... `depth` deep. */
function nestedGguf(depth: number): Buffer {
  const head = Buffer.alloc(4 + 4 + 8 + 8);
  head.write('GGUF', 0, 'latin1');
  head.writeUInt32LE(3, 4);
  head.writeBigUInt64LE(0n, 8); // tensors
  head.writeBigUInt64LE(1n, 16); // metadata keys
  const key = Buffer.alloc(8 + 1 + 4);
  key.writeBigUInt64LE(1n, 0);
  key.write('x', 8, 'latin1');
  key.writeUInt32LE(9, 9); // ARRAY
  const level = Buffer.alloc(12);
  level.writeUInt32LE(9, 0); // of ARRAY
  level.writeBigUInt64LE(1n, 4); // one item
  const last = Buffer.alloc(12);
  last.writeUInt32LE(0, 0); // of UINT8
  last.writeBigUInt64LE(0n, 4); // empty
  const body = Buffer.alloc(level.length * depth);
  for (let i = 0; i < depth; i++) level.copy(body, i * level.length);
  return Buffer.concat([head, key, body, last, Buffer.alloc(64)]);
}

/** A safetensors file whose header declares `count` empty tensors (a valid shape, so only the count is wrong). */
function manyTensorSafetensors(count: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
  const json = Buffer.from(`{${parts.join(',')}}`);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json]);
}

/** A YAML suite whose aliases expand to 10^12 strings (the billion laughs). */
function aliasBomb(): string {
  const lines = ['name: bomb', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 12; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  return `${lines.join('\n')}\n`;
}

// ---- the corpus -------------------------------------------------------------------------------------------------

describe('hostile files: one line, exit 2, bounded memory', () => {
  it('GGUF metadata arrays nested 100,000 deep', () => {
    const f = file('nested.gguf', nestedGguf(100_000));
    expectRefused(phylo(['genotype', '--inspect', f]), /nested\.gguf: .*arrays nested more than 8 deep/);
  });

  it('a safetensors header declaring a million tensors', () => {
    const f = file('million.safetensors', manyTensorSafetensors(1_000_000));
    expectRefused(
      phylo(['genotype', '--inspect', f]),
      /million\.safetensors: .*declares 1000000 tensors, above the limit of 200000/,
    );
  });

  it('NaN and infinite weights: the model, tensor and element are named', async () => {
    const good = new Float32Array(64).map((_, i) => Math.sin(i));
    const bad = Float32Array.from(good);
    bad[17] = Number.NaN;
    bad[40] = Number.POSITIVE_INFINITY;
    const a = path.join(DIR, 'good.safetensors');
    const b = path.join(DIR, 'poisoned.safetensors');
    await writeSafetensors(a, [{ name: 'blk.0.attn_q.weight', dtype: 'F32', shape: [8, 8], data: good }]);
    await writeSafetensors(b, [{ name: 'blk.0.attn_q.weight', dtype: 'F32', shape: [8, 8], data: bad }]);
    expectRefused(
      phylo(['genotype', a, b, '--bootstrap', '0']),
      /poisoned: tensor blk\.0\.attn_q\.weight \(F32\) holds 2 NaN or infinite values \(first at element 17/,
    );
  });

  it('a YAML alias bomb in a suite', () => {
    const f = file('bomb.yaml', aliasBomb());
    expectRefused(phylo(['suites', f]), /bomb\.yaml: invalid YAML: .*alias.*at most 100 aliases/);
  });

  it('a 50 MB suite', () => {
    const probe = '  - id: p\n    messages: [{ role: user, content: "hello there" }]\n';
    const f = file('huge.yaml', `name: huge\nprobes:\n${probe.repeat(Math.ceil(50e6 / probe.length))}`);
    expectRefused(phylo(['suites', f]), /huge\.yaml: suite file of \d+ bytes is above the 4 MiB limit/);
  });

  it('a PHYLIP matrix declaring 999,999,999 taxa', () => {
    const f = file('huge.phy', '999999999\na 0 1\nb 1 0\n');
    expectRefused(phylo(['tree', '--matrix', f]), /huge\.phy: declares 999999999 taxa, above the limit of 5000 taxa/);
  });

  it('a NEXUS matrix declaring 999,999,999 taxa', () => {
    const f = file('huge.nex', '#NEXUS\nBEGIN DISTANCES;\n DIMENSIONS NTAX=999999999;\n MATRIX\n a 0\n;\nEND;\n');
    expectRefused(phylo(['tree', '--matrix', f]), /huge\.nex: NTAX=999999999 is above the limit of 5000 taxa/);
  });

  it('a matrix that is not a distance matrix (negative, asymmetric, diagonal not 0)', () => {
    const neg = file('neg.phy', '3\na 0 1 -2\nb 1 0 1\nc -2 1 0\n');
    expectRefused(phylo(['tree', '--matrix', neg]), /neg\.phy: distance a x c is -2; distances cannot be negative/);
    const diag = file('diag.tsv', 'x/y\ta\tb\na\t1\t2\nb\t2\t0\n');
    expectRefused(phylo(['tree', '--matrix', diag]), /diag\.tsv: distance a x a is 1; .*must be 0/);
  });

  it('Newick nested 100,000 deep', () => {
    const f = file('deep.nwk', `${'('.repeat(100_000)}a,b${')'.repeat(100_000)};`);
    expectRefused(phylo(['compare', f, f]), /deep\.nwk: more than 5000 internal nodes/);
  });

  it('Newick with 200,000 leaves', () => {
    const f = file('wide.nwk', `(${Array.from({ length: 200_000 }, (_, i) => `m${i}:1`).join(',')});`);
    expectRefused(phylo(['compare', f, f]), /wide\.nwk: more than 5000 leaves/);
  });

  it('files starting with a byte-order mark are read as if it were not there', () => {
    const bom = '\uFEFF';
    const tree = file('bom.nwk', `${bom}${fs.readFileSync(path.join(REF, 'five.nj.nwk'), 'utf8')}`);
    const r = phylo(['compare', tree, path.join(REF, 'five.nj.nwk')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Robinson-Foulds: 0 of 4');
    const phy = file('bom.phy', `${bom}${fs.readFileSync(path.join(REF, 'five.phy'), 'utf8')}`);
    const m = phylo(['tree', '--matrix', phy, '--json', '--out', path.join(DIR, 'bom-tree')]);
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout).models).toBe(5);
    const suite = file('bom.yaml', `${bom}${fs.readFileSync(path.join(REPO, 'probes/lab-demo.yaml'), 'utf8')}`);
    const s = phylo(['suites', suite, '--json']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).probes.length).toBeGreaterThan(0);
  });
});

describe('--help states the limits', () => {
  it.each([
    [['genotype', '--help'], /arrays nested at most 8 deep; at most\s+200,000 tensors/],
    [['suites', '--help'], /at most 4 MiB and 100 YAML aliases/],
    [['compare', '--help'], /at most 5,000 leaves .* at most 5,000 taxa/s],
    [['score', '--help'], /at most 5,000 leaves/],
    [['tree', '--help'], /at most 5,000 leaves/],
  ])('phylo %j', async (args, limits) => {
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(limits);
  });
});
