// Benchmark 'genotype': compare two 1 GiB safetensors files (written here in a temp folder, deleted after) and print
// throughput and peak memory. Targets: >= 0.5 GB/s, peak RSS under 300 MB.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { genotypeMatrix, layerDistances } from '../genotype/analysis.js';
import { compareModels } from '../genotype/compare.js';
import { writeGeneratedSafetensors, type GeneratedTensor } from '../genotype/safetensors-write.js';
import type { Benchmark } from './index.js';

const GiB = 1024 ** 3;
const TENSOR_ELEMENTS = 4 * 1024 * 1024; // 16 MiB of F32
const TENSORS = GiB / (TENSOR_ELEMENTS * 4);

/** Weight-like pseudo-random values from an integer hash of (seed, index): fast and needs no state. */
function fillFor(seed: number, tensor: number, perturb: boolean): (start: number, out: Float32Array) => void {
  return (start, out) => {
    for (let i = 0; i < out.length; i++) {
      let h = Math.imul((start + i) ^ Math.imul(tensor + 1, 0x9e3779b1), 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      let v = ((h >>> 0) / 4294967296 - 0.5) * 0.04;
      if (perturb && ((start + i) & 7) === 0) v += ((Math.imul(h, seed) >>> 0) / 4294967296 - 0.5) * 0.002;
      out[i] = v;
    }
  };
}

function tensors(seed: number, perturbed: boolean): GeneratedTensor[] {
  return Array.from({ length: TENSORS }, (_, t) => ({
    name: `h.${t >> 2}.${['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'][t & 3]}.weight`,
    dtype: 'F32' as const,
    shape: [2048, TENSOR_ELEMENTS / 2048],
    fill: fillFor(seed, t, perturbed && t % 3 === 0),
  }));
}

export const benchmark: Benchmark = {
  name: 'genotype',
  run: async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'phylo-bench-genotype-'));
    try {
      const a = path.join(dir, 'parent.safetensors');
      const b = path.join(dir, 'child.safetensors');
      let t0 = performance.now();
      await writeGeneratedSafetensors(a, tensors(1, false));
      await writeGeneratedSafetensors(b, tensors(2, true));
      const writeSeconds = (performance.now() - t0) / 1000;
      process.stdout.write(
        `wrote 2 x 1 GiB safetensors (${TENSORS} F32 tensors each) in ${writeSeconds.toFixed(2)} s ` +
          `(${((2 * GiB) / 1e9 / writeSeconds).toFixed(2)} GB/s)\n`,
      );
      const rssBefore = process.memoryUsage().rss;
      t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const cmp = await compareModels([a, b]);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const m = genotypeMatrix(cmp, { metric: 'l2' });
      const layers = layerDistances(cmp);
      const peakMb = process.resourceUsage().maxRSS / 1024;
      const bytesRead = cmp.models.reduce((s, x) => s + x.bytes, 0);
      process.stdout.write(
        `compared ${cmp.tensors.length} tensor pairs ` +
          `(${(cmp.tensors.reduce((s, t) => s + t.elements, 0) / 1e6).toFixed(0)} M values per model) in ` +
          `${seconds.toFixed(2)} s\n`,
      );
      process.stdout.write(
        `throughput: ${(bytesRead / 1e9 / seconds).toFixed(2)} GB/s read (both files, wall clock; target >= 0.5)\n`,
      );
      // On a shared machine the wall clock includes time waiting for a core; CPU time shows what the work itself costs.
      process.stdout.write(
        `CPU time: ${cpuSeconds.toFixed(2)} s (${(bytesRead / 1e9 / cpuSeconds).toFixed(2)} GB per CPU-second; ` +
          `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)\n`,
      );
      process.stdout.write(
        `peak RSS (maxRSS, whole process incl. writing): ${peakMb.toFixed(0)} MB (target < 300); ` +
          `RSS before compare ${(rssBefore / 1048576).toFixed(0)} MB\n`,
      );
      process.stdout.write(
        `L2(parent, child) = ${m.values[1]!.toFixed(4)}; ` +
          `layers with changes: ${layers.filter((l) => l.mean > 0).length}/${layers.length}\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
