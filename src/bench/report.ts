// The report of the real AlpacaEval run (38 models x 805 probes, ../shared/data/alpaca_eval), coloured by its
// families: the analysis it needs (embed phenotype, UPGMA tree with 100 bootstrap replicates, trait table) timed apart
// from writing the report itself (figures, page, files). Targets: under 5 MB, written in under 5 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysedRun } from '../analysis/analysed-run.js';
import { writeReport } from '../report/index.js';
import { importAlpacaEval } from '../store/import-alpaca-eval.js';
import { openStore } from '../store/sqlite.js';
import { alpacaDataDir, alpacaFamilies } from './alpaca-data.js';
import type { Benchmark } from './index.js';

const since = (t0: number) => (performance.now() - t0) / 1000;
const load = () => os.loadavg()[0]!.toFixed(1);

export const benchmark: Benchmark = {
  name: 'report',
  run: async () => {
    const dir = alpacaDataDir();
    if (!dir) {
      process.stdout.write('skipped: ../shared/data/alpaca_eval not found\n');
      return;
    }
    const results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-report-'));
    try {
      const store = openStore(results);
      importAlpacaEval(store, dir, { name: 'alpaca' });
      const data = store.loadRun('alpaca' as never);
      store.close();

      let t0 = performance.now();
      const analysed = new AnalysedRun(data);
      analysed.matrix('embed');
      const phenotype = since(t0);
      t0 = performance.now();
      analysed.tree({ signal: 'embed', bootstrap: 100, seed: 1 });
      const tree = since(t0);
      t0 = performance.now();
      analysed.traitTable();
      const traits = since(t0);
      process.stdout.write(
        `analysis the report reads: embed phenotype ${phenotype.toFixed(2)} s, tree + 100 bootstrap replicates ` +
          `${tree.toFixed(2)} s, trait table ${traits.toFixed(2)} s (load ${load()})\n`,
      );

      const out = path.join(results, 'report', 'alpaca.html');
      const cpu0 = process.cpuUsage();
      t0 = performance.now();
      const written = await writeReport({ data, analysed, out, families: alpacaFamilies(dir) });
      const wall = since(t0);
      const cpu = process.cpuUsage(cpu0);
      const svgBytes = written.figures.reduce((a, f) => a + fs.statSync(f).size, 0);
      process.stdout.write(
        `report written (figures, page, files): ${wall.toFixed(2)} s wall, ` +
          `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (target < 5 s; load ${load()})\n` +
          `  ${(written.bytes / 1024 / 1024).toFixed(2)} MB HTML (target < 5 MB) + ${written.figures.length} figures ` +
          `(${(svgBytes / 1024 / 1024).toFixed(2)} MB of .svg)\n` +
          `  from a stored run, analysis included: ${(phenotype + tree + traits + wall).toFixed(2)} s\n`,
      );
    } finally {
      fs.rmSync(results, { recursive: true, force: true });
    }
  },
};
