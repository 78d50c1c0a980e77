// The whole analysis of the real AlpacaEval data (38 models x 805 probes, ../shared/data/alpaca_eval): default signal
// and method, 100 bootstrap replicates over probes. Target: under 20 s. Also prints how well families are recovered.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseRun } from '../analysis/analyse.js';
import { familyClades, nearestNeighbourAccuracy, patristicDistances } from '../phylo/index.js';
import { importAlpacaEval } from '../store/import-alpaca-eval.js';
import { openStore } from '../store/sqlite.js';
import { alpacaDataDir, alpacaFamilies } from './alpaca-data.js';
import type { Benchmark } from './index.js';

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);

export const benchmark: Benchmark = {
  name: 'analysis',
  run: async () => {
    const dir = alpacaDataDir();
    if (!dir) {
      process.stdout.write('skipped: ../shared/data/alpaca_eval not found\n');
      return;
    }
    const results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-analysis-'));
    try {
      let t0 = performance.now();
      const store = openStore(results);
      importAlpacaEval(store, dir, { name: 'alpaca' });
      process.stdout.write(`import into the store: ${seconds(t0)} s\n`);
      t0 = performance.now();
      const data = store.loadRun('alpaca' as never);
      store.close();
      process.stdout.write(`load ${data.samples.length} samples: ${seconds(t0)} s\n`);
      const cpu0 = process.cpuUsage();
      t0 = performance.now();
      const result = analyseRun(data, { bootstrap: 100, seed: 1 });
      const wall = seconds(t0);
      const cpu = process.cpuUsage(cpu0);
      const t = result.timings;
      process.stdout.write(
        `analysis (${result.signal}/${result.method}, ${result.models} models x ${result.probes} probes, ` +
          `100 replicates): ${wall} s wall, ` +
          `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (target < 20 s)\n` +
          `  phenotype + distances ${t.phenotype.toFixed(2)} s, tree ${t.tree.toFixed(3)} s, ` +
          `bootstrap ${t.bootstrap.toFixed(2)} s\n`,
      );
      const fam = alpacaFamilies(dir);
      const clades = familyClades(result.tree, fam);
      const nn = nearestNeighbourAccuracy(patristicDistances(result.tree), fam);
      process.stdout.write(
        `family clades ${clades.filter((c) => c.isClade).length}/${clades.length}, ` +
          `1-NN accuracy ${nn.accuracy.toFixed(3)} (${nn.correct}/${nn.total}); ` +
          `naive baseline 11/14 and 0.853\n`,
      );
    } finally {
      fs.rmSync(results, { recursive: true, force: true });
    }
  },
};
