// Tree-building speed: NJ on random 20-D Euclidean matrices of 500 and 2,000 taxa (the matrices of
// ../shared/data/phylo-reference/SOURCE.md's timing table), against `clearcut --neighbor` when it is installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

function euclidean(n: number, dim: number, seed: number): DistanceMatrix {
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
          `clearcut --neighbor ${n} taxa: ${fmt(best!.timing)}; ours/clearcut: ${(ours.best.wall / best!.timing.wall).toFixed(2)}x wall, ` +
            `${(ours.best.cpu / Math.max(best!.timing.cpu, 0.01)).toFixed(2)}x CPU; RF between the two trees: ${rf.rf}\n`,
        );
      }
      if (!hasClearcut) process.stdout.write('clearcut is not on PATH (apt-get install clearcut): no comparison\n');
      const m500 = euclidean(500, 20, 500);
      process.stdout.write(`BIONJ 500 taxa: ${fmt(time(1, () => bionj(m500)).best)}\n`);
      process.stdout.write(`UPGMA 500 taxa: ${fmt(time(1, () => upgma(m500)).best)}\n`);
      const m100 = euclidean(100, 20, 100);
      process.stdout.write(`BME+NNI 100 taxa: ${fmt(time(1, () => balancedMinimumEvolution(m100)).best)}\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
