// Provider embeddings of the real AlpacaEval run (38 models x 805 probes, ../shared/data/alpaca_eval) through the
// local OpenAI-protocol server (hashed character-trigram vectors, 256 dimensions, no network): texts per second
// embedded and stored, the cached re-run, the store's growth, and the analysis on those vectors. The family figures
// say only that the plumbing keeps structure; the vectors are not a real embedding model's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseRun } from '../analysis/analyse.js';
import { providerEmbeddings } from '../analysis/provider-embeddings.js';
import { DEFAULTS } from '../core/defaults.js';
import { DEFAULT_EMBED } from '../analysis/signals/index.js';
import { familyClades, nearestNeighbourAccuracy, patristicDistances } from '../phylo/index.js';
import { DB_FILE, openStore } from '../store/sqlite.js';
import { importAlpacaEval } from '../store/import-alpaca-eval.js';
import { startOpenAIServer } from '../testing/servers/index.js';
import { alpacaDataDir, alpacaFamilies } from './alpaca-data.js';
import type { Benchmark } from './index.js';

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const mb = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size / 1e6 : 0);

export const benchmark: Benchmark = {
  name: 'embeddings',
  run: async () => {
    const dir = alpacaDataDir();
    if (!dir) {
      process.stdout.write('skipped: ../shared/data/alpaca_eval not found\n');
      return;
    }
    const results = fs.mkdtempSync(path.join(os.tmpdir(), 'phylo-bench-embeddings-'));
    const server = await startOpenAIServer({ embeddingDim: 256 });
    try {
      const store = openStore(results);
      importAlpacaEval(store, dir, { name: 'alpaca' });
      const data = store.loadRun('alpaca' as never);
      store.checkpoint();
      store.close();
      const db = path.join(results, DB_FILE);
      const before = mb(db) + mb(`${db}-wal`);
      const env = { OPENAI_API_KEY: 'sk-bench-dummy-key', OPENAI_BASE_URL: server.url };

      let t0 = performance.now();
      const first = await providerEmbeddings(data, 'openai:bench-embed', { resultsDir: results, env });
      const t1 = seconds(t0);
      const s = first.stats;
      process.stdout.write(
        `embed ${s.texts} distinct texts in ${s.requests} requests (${DEFAULTS.embedBatch} a batch, local server): ` +
          `${t1.toFixed(2)} s, ${(s.texts / t1).toFixed(0)} texts/s\n`,
      );
      t0 = performance.now();
      const second = await providerEmbeddings(data, 'openai:bench-embed', { resultsDir: results, env });
      const t2 = seconds(t0);
      process.stdout.write(
        `cached re-run: ${second.stats.cached}/${second.stats.texts} from the store, ` +
          `${second.stats.requests} requests, ${t2.toFixed(2)} s\n`,
      );
      process.stdout.write(
        `store growth: ${(mb(db) + mb(`${db}-wal`) - before).toFixed(1)} MB for ${s.texts} vectors of 256 float32\n`,
      );

      t0 = performance.now();
      const result = analyseRun(data, {
        bootstrap: 100,
        seed: 1,
        embed: { ...DEFAULT_EMBED, provider: second.embeddings },
      });
      const fam = alpacaFamilies(dir);
      const clades = familyClades(result.tree, fam);
      const nn = nearestNeighbourAccuracy(patristicDistances(result.tree), fam);
      process.stdout.write(
        `analysis on provider vectors (${result.signal}/${result.method}, ` +
          `${result.models} models x ${result.probes} probes, 100 replicates): ${seconds(t0).toFixed(2)} s ` +
          `(phenotype + distances ${result.timings.phenotype.toFixed(2)} s); ` +
          `family clades ${clades.filter((c) => c.isClade).length}/${clades.length}, ` +
          `1-NN accuracy ${nn.accuracy.toFixed(3)}\n`,
      );
    } finally {
      await server.close();
      fs.rmSync(results, { recursive: true, force: true });
    }
  },
};
