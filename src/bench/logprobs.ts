// The logprobs signal at AlpacaEval scale (38 models x 805 probes, top-20 alternatives per probe, synthetic and
// seeded): profile + per-probe Jensen-Shannon, then a BIONJ tree with 100 bootstrap replicates over probes.
import { analyseRun } from '../analysis/analyse.js';
import type { ModelRef, ProbeId, RunName, Sample } from '../core/types.js';
import { randomInt, seededRng } from '../core/random.js';
import type { RunData } from '../core/run.js';
import type { Benchmark } from './index.js';

const MODELS = 38;
const PROBES = 805;
const K = 20;

/** Models in families of a few, each family drawing its top tokens from a shared pool per probe. */
function syntheticRun(): RunData {
  const rng = seededRng(7);
  const run = 'bench-logprobs' as RunName;
  const models = Array.from({ length: MODELS }, (_, m) => `bench:f${m % 9}-m${m}` as ModelRef);
  const samples: Sample[] = [];
  for (let p = 0; p < PROBES; p++) {
    for (let m = 0; m < MODELS; m++) {
      const top = Array.from({ length: K }, (_, i) => ({
        token: `t${p}-${i < 12 ? `f${m % 9}` : `m${m}`}-${randomInt(rng, 30)}`,
        logprob: -0.5 - i * 0.3 - randomInt(rng, 100) / 200,
      }));
      samples.push({
        run,
        model: models[m]!,
        probe: `p${p}` as ProbeId,
        index: 0,
        outcome: {
          status: 'ok',
          text: top[0]!.token,
          finishReason: 'length',
          usage: { inputTokens: 1, outputTokens: 1 },
          temperatureUsed: 1,
          logprobs: [{ token: top[0]!.token, logprob: top[0]!.logprob, top }],
        },
        latencyMs: 1,
        attempts: 1,
        costUsd: 0,
        at: '2025-01-01T00:00:00.000Z',
      });
    }
  }
  const probes = Array.from({ length: PROBES }, (_, p) => ({
    id: `p${p}` as ProbeId,
    tags: [],
    prompt: { kind: 'chat' as const, messages: [{ role: 'user' as const, content: `p${p}` }] },
  }));
  return {
    run: {
      name: run,
      suite: {
        name: 'bench',
        version: '1',
        description: 'bench',
        defaults: { sampling: { temperature: 1, maxTokens: 1, topLogprobs: K }, samples: 1 },
        probes,
      },
      models,
      samples: 1,
      status: 'finished',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      origin: 'bench',
    },
    samples,
  };
}

export const benchmark: Benchmark = {
  name: 'logprobs',
  run: async () => {
    const data = syntheticRun();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = analyseRun(data, { signal: 'logprobs', bootstrap: 100, seed: 1 });
    const wall = ((performance.now() - t0) / 1000).toFixed(2);
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(
      `logprobs/${r.method}, ${r.models} models x ${r.probes} probes, top-${K}, 100 replicates: ${wall} s wall, ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU\n` +
        `  profile + per-probe JS ${r.timings.phenotype.toFixed(2)} s, tree ${r.timings.tree.toFixed(3)} s, ` +
        `bootstrap ${r.timings.bootstrap.toFixed(2)} s\n`,
    );
  },
};
