// The audit at AlpacaEval scale (../shared/data/alpaca_eval, 38 models x 805 probes): the equality test for all 703
// pairs with 1,000 permutations each, split over two worker threads (target < 60 s), and the drift audit of the 38
// models between two runs (target < 10 s). The same file is the worker: it tests every k-th pair of the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { testEquality } from '../audit/equality.js';
import { auditDrift } from '../audit/drift.js';
import { samplesByModel } from '../audit/model-samples.js';
import type { RunName } from '../core/types.js';
import { importAlpacaEval } from '../store/import-alpaca-eval.js';
import { openStore } from '../store/sqlite.js';
import { alpacaDataDir } from './alpaca-data.js';
import type { Benchmark } from './index.js';

const WORKERS = 2;
const PERMUTATIONS = 1000;

interface WorkerInput {
  readonly auditBench: true;
  readonly results: string;
  readonly part: number;
  readonly parts: number;
}

interface WorkerOutput {
  readonly pairs: number;
  readonly rejected: number;
  readonly cpuSeconds: number;
}

function loadModels(results: string) {
  const store = openStore(results);
  try {
    const data = store.loadRun('alpaca' as RunName);
    return [...samplesByModel(data)].map(([model, samples]) => ({ model, samples }));
  } finally {
    store.close();
  }
}

/** The pairs i < j whose running index is part (mod parts). */
function testPairs(input: WorkerInput): WorkerOutput {
  const models = loadModels(input.results);
  const cpu0 = process.cpuUsage();
  let k = 0;
  let pairs = 0;
  let rejected = 0;
  for (let i = 0; i < models.length; i++)
    for (let j = i + 1; j < models.length; j++, k++) {
      if (k % input.parts !== input.part) continue;
      const r = testEquality(models[i]!, models[j]!, { permutations: PERMUTATIONS, seed: k + 1 });
      pairs++;
      if (r.reject) rejected++;
    }
  const cpu = process.cpuUsage(cpu0);
  return { pairs, rejected, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.auditBench) {
  parentPort!.postMessage(testPairs(workerData as WorkerInput));
}

function runWorker(input: WorkerInput): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: input });
    worker.once('message', (m: WorkerOutput) => resolve(m));
    worker.once('error', reject);
  });
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);

export const benchmark: Benchmark = {
  name: 'audit',
  run: async () => {
    const dir = alpacaDataDir();
    if (!dir) {
      process.stdout.write('skipped: ../shared/data/alpaca_eval not found\n');
      return;
    }
    const results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-audit-'));
    try {
      const store = openStore(results);
      importAlpacaEval(store, dir, { name: 'alpaca' });
      store.close();

      let t0 = performance.now();
      const parts = await Promise.all(
        Array.from({ length: WORKERS }, (_, part) => runWorker({ auditBench: true, results, part, parts: WORKERS })),
      );
      const pairs = parts.reduce((s, p) => s + p.pairs, 0);
      const rejected = parts.reduce((s, p) => s + p.rejected, 0);
      const cpu = parts.reduce((s, p) => s + p.cpuSeconds, 0);
      process.stdout.write(
        `equality, all ${pairs} pairs x ${PERMUTATIONS} permutations on ${WORKERS} worker threads: ` +
          `${seconds(t0)} s wall ` +
          `(target < 60 s; data loading included), ${cpu.toFixed(1)} s CPU in the tests ` +
          `(${((1000 * cpu) / pairs).toFixed(0)} ms a pair); ${rejected} of ${pairs} pairs differ at alpha 0.05\n`,
      );

      const models = loadModels(results);
      const run = { name: 'alpaca', models: new Map(models.map((m) => [m.model, m.samples])) };
      const rerun = { name: 'alpaca-again', models: run.models };
      t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const report = auditDrift(run, rerun, { permutations: PERMUTATIONS });
      const dcpu = process.cpuUsage(cpu0);
      process.stdout.write(
        `drift of ${report.models.length} models (${PERMUTATIONS} permutations, Holm, trait deltas): ` +
          `${seconds(t0)} s wall ` +
          `(target < 10 s), ${((dcpu.user + dcpu.system) / 1e6).toFixed(2)} s CPU; ` +
          `${report.models.filter((m) => m.reject).length} drifted (a run against itself: expected 0)\n`,
      );
    } finally {
      fs.rmSync(results, { recursive: true, force: true });
    }
  },
};
