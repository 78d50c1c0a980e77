// Tree-building speed: NJ on random 20-D Euclidean matrices of 500 and 2,000 taxa (the matrices of
// ../shared/data/phylo-reference/SOURCE.md's timing table), against `clearcut --neighbor` when it is installed.
// Then time and peak memory of NJ and BIONJ at 4,000 taxa, each in a child process (issue 13: at most 2x RapidNJ's
// memory), against RapidNJ when it is on PATH, else against the n(n-1)/2 float32 matrix RapidNJ's memory starts from.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DistanceMatrix } from '../core/matrix.js';
import { randomNormal, seededRng } from '../core/random.js';
import { formatPhylip } from '../distance/matrix-io.js';
import {
  balancedMinimumEvolution,
  bionj,
  neighborJoining,
  parseNewick,
  robinsonFoulds,
  upgma,
  type Tree,
} from '../phylo/index.js';
import type { Benchmark } from './index.js';

export function euclidean(n: number, dim: number, seed: number): DistanceMatrix {
  const rng = seededRng(seed);
  const x = new Float64Array(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = randomNormal(rng);
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const d = x[i * dim + k]! - x[j * dim + k]!;
        s += d * d;
      }
      values[i * n + j] = values[j * n + i] = Math.sqrt(s);
    }
  }
  return { labels: Array.from({ length: n }, (_, i) => `t${i}`), values, signal: 'bench', metric: 'euclidean' };
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Best of `repeats` runs (the machine is shared; the minimum is the least disturbed). */
function time<T>(repeats: number, f: () => T): { result: T; best: Timing } {
  let best: Timing = { wall: Infinity, cpu: Infinity };
  let result: T | undefined;
  for (let k = 0; k < repeats; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = f();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    if (wall < best.wall) best = { wall, cpu };
  }
  return { result: result!, best };
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Run clearcut under a shell that reports its children's CPU time (from /proc, in clock ticks). */
function clearcut(input: string, output: string): { timing: Timing; tree: Tree } {
  const t0 = performance.now();
  const r = spawnSync(
    'sh',
    ['-c', `clearcut --neighbor --quiet --in="$1" --out="$2" && cat /proc/$$/stat`, 'sh', input, output],
    { encoding: 'utf8' },
  );
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`clearcut failed: ${r.stderr}`);
  // Fields after the command name: cutime and cstime are the 14th and 15th (1-based 16 and 17 overall).
  const fields = r.stdout
    .slice(r.stdout.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  const ticks = Number(fields[13]) + Number(fields[14]);
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return { timing: { wall, cpu: ticks / hz }, tree: parseNewick(fs.readFileSync(output, 'utf8'), output) };
}

const MB = 2 ** 20;
const BIG = 4000;

interface MemoryFigures {
  readonly seconds: number;
  /** Peak resident set of the whole process. */
  readonly peakMb: number;
  /** Resident set once the input matrix is made, before the method runs (Node itself and the n x n float64 input). */
  readonly inputMb: number;
  readonly newick: string;
}

/** Build `method` on the BIG-taxa Euclidean matrix in a fresh Node process: its time and peak RSS. */
function inChild(method: 'neighborJoining' | 'bionj'): MemoryFigures {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const code = `
    import { euclidean } from ${JSON.stringify(path.join(here, 'phylo.js'))};
    import { ${method} as build, writeNewick } from ${JSON.stringify(path.join(here, '..', 'phylo', 'index.js'))};
    const m = euclidean(${BIG}, 20, ${BIG});
    const inputMb = process.memoryUsage().rss / ${MB};
    const t0 = performance.now();
    const tree = build(m);
    const seconds = (performance.now() - t0) / 1000;
    const peakMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ seconds, peakMb, inputMb, newick: writeNewick(tree) }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${method} at ${BIG} taxa failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as MemoryFigures;
}

/** RapidNJ on a PHYLIP file under /usr/bin/time -v: wall seconds and peak RSS. */
function rapidnj(input: string): { seconds: number; peakMb: number; tree: Tree } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', 'rapidnj', input, '-i', 'pd'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`rapidnj failed: ${r.stderr}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  return { seconds, peakMb: kb / 1024, tree: parseNewick(r.stdout, 'rapidnj') };
}

function memoryAtScale(dir: string): void {
  const nj = inChild('neighborJoining');
  const bj = inChild('bionj');
  const triangleMb = (((BIG * (BIG - 1)) / 2) * 4) / MB;
  const line = (name: string, f: MemoryFigures) =>
    `${name} ${BIG} taxa: ${f.seconds.toFixed(2)} s wall, peak RSS ${f.peakMb.toFixed(0)} MB ` +
    `(${f.inputMb.toFixed(0)} MB of it Node and the ${BIG}x${BIG} float64 input; the method's own ` +
    `${(f.peakMb - f.inputMb).toFixed(0)} MB)\n`;
  process.stdout.write(line('NJ', nj) + line('BIONJ', bj));
  if (onPath('rapidnj') && fs.existsSync('/usr/bin/time')) {
    const input = path.join(dir, `e${BIG}.phy`);
    fs.writeFileSync(input, formatPhylip(euclidean(BIG, 20, BIG)));
    const r = rapidnj(input);
    const rf = robinsonFoulds(parseNewick(nj.newick, 'nj'), r.tree).rf;
    process.stdout.write(
      `RapidNJ ${BIG} taxa: ${r.seconds.toFixed(2)} s wall, peak RSS ${r.peakMb.toFixed(0)} MB; ours/RapidNJ: ` +
        `NJ ${(nj.seconds / r.seconds).toFixed(2)}x time, ${(nj.peakMb / r.peakMb).toFixed(2)}x memory; ` +
        `BIONJ ${(bj.peakMb / r.peakMb).toFixed(2)}x memory; RF between NJ trees ${rf} (target: memory <= 2x)\n`,
    );
  } else {
    process.stdout.write(
      `rapidnj is not on PATH (Debian 12 does not package it): against the ${triangleMb.toFixed(0)} MB of an ` +
        `n(n-1)/2 float32 matrix, NJ's own memory is ${((nj.peakMb - nj.inputMb) / triangleMb).toFixed(2)}x and ` +
        `BIONJ's ${((bj.peakMb - bj.inputMb) / triangleMb).toFixed(2)}x, the whole process ` +
        `${(nj.peakMb / triangleMb).toFixed(2)}x and ${(bj.peakMb / triangleMb).toFixed(2)}x\n`,
    );
  }
}

const fmt = (t: Timing) => `${t.wall.toFixed(3)} s wall, ${t.cpu.toFixed(3)} s CPU`;

export const benchmark: Benchmark = {
  name: 'phylo',
  run: async () => {
    const hasClearcut = onPath('clearcut');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-'));
    try {
      for (const n of [500, 2000]) {
        const m = euclidean(n, 20, n);
        const repeats = n <= 500 ? 5 : 3;
        const ours = time(repeats, () => neighborJoining(m));
        process.stdout.write(`NJ ${n} taxa (20-D Euclidean, seed ${n}): ${fmt(ours.best)} (best of ${repeats})\n`);
        if (!hasClearcut) continue;
        const input = path.join(dir, `e${n}.phy`);
        fs.writeFileSync(input, formatPhylip(m));
        let best: { timing: Timing; tree: Tree } | undefined;
        for (let k = 0; k < repeats; k++) {
          const r = clearcut(input, path.join(dir, `e${n}.nwk`));
          if (!best || r.timing.wall < best.timing.wall) best = r;
        }
        const rf = robinsonFoulds(ours.result, best!.tree);
        process.stdout.write(
          `clearcut --neighbor ${n} taxa: ${fmt(best!.timing)}; ` +
            `ours/clearcut: ${(ours.best.wall / best!.timing.wall).toFixed(2)}x wall, ` +
            `${(ours.best.cpu / Math.max(best!.timing.cpu, 0.01)).toFixed(2)}x CPU; ` +
            `RF between the two trees: ${rf.rf}\n`,
        );
      }
      if (!hasClearcut) process.stdout.write('clearcut is not on PATH (apt-get install clearcut): no comparison\n');
      const m500 = euclidean(500, 20, 500);
      process.stdout.write(`BIONJ 500 taxa: ${fmt(time(1, () => bionj(m500)).best)}\n`);
      process.stdout.write(`UPGMA 500 taxa: ${fmt(time(1, () => upgma(m500)).best)}\n`);
      const m100 = euclidean(100, 20, 100);
      process.stdout.write(`BME+NNI 100 taxa: ${fmt(time(1, () => balancedMinimumEvolution(m100)).best)}\n`);
      memoryAtScale(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
