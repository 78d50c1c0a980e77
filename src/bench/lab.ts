// Benchmark 'lab': training throughput (tokens/s, one thread and two worker threads) of the default zoo's model
// shape, and inference throughput (generated tokens/s) of one model in process and of concurrent requests through
// the lab server's OpenAI API. Random-weight models on synthetic text: the figures measure the code, not the corpora.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { saveCheckpoint } from '../lab/checkpoint.js';
import { generate } from '../lab/decode.js';
import { initModel } from '../lab/model.js';
import { startLabServer } from '../lab/server.js';
import { train, trainParallel, type TrainOptions } from '../lab/train.js';
import type { ModelConfig } from '../lab/config.js';
import type { Benchmark } from './index.js';

/** The default recipe's model (lab/recipe.yaml). */
const CONFIG: ModelConfig = { vocab: 128, ctx: 64, d: 64, heads: 4, layers: 2, hidden: 256 };

function syntheticText(n: number): Uint8Array {
  const words = [
    'the ',
    'whale ',
    'of ',
    'Congress ',
    'and ',
    'money ',
    'free ',
    'ship ',
    'to ',
    'a ',
    'United ',
    'States ',
  ];
  const out = new Uint8Array(n);
  let state = 1;
  for (let i = 0; i < n; ) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const w = words[state % words.length]!;
    for (let j = 0; j < w.length && i < n; j++) out[i++] = w.charCodeAt(j);
  }
  return out;
}

async function run(): Promise<void> {
  process.stdout.write(
    `machine: ${cpus().length} cores, ` +
      `load average ${loadavg()[0]!.toFixed(1)} (figures drop when the cores are shared)\n`,
  );
  const text = syntheticText(200_000);
  const opts: TrainOptions = {
    steps: 8,
    batch: 8,
    lr: 0.003,
    warmup: 2,
    minLrFraction: 0.1,
    weightDecay: 0.01,
    clip: 1,
    seed: 1,
  };
  const m1 = initModel(CONFIG, 1);
  process.stdout.write(
    `model: ${m1.layout.total} parameters (d ${CONFIG.d}, ${CONFIG.layers} blocks, ctx ${CONFIG.ctx})\n`,
  );
  const r1 = train(m1, [text], opts);
  process.stdout.write(
    `training, 1 thread:  ${Math.round(r1.tokens / r1.seconds)} tokens/s ` +
      `(${opts.steps} steps of ${opts.batch} x ${CONFIG.ctx})\n`,
  );
  const m2 = initModel(CONFIG, 1);
  const r2 = await trainParallel(m2, [text], opts, 2);
  process.stdout.write(
    `training, 2 workers: ${Math.round(r2.tokens / r2.seconds)} tokens/s ` +
      `(same weights: ${Buffer.from(m1.params.buffer).equals(Buffer.from(m2.params.buffer))})\n`,
  );

  const t0 = performance.now();
  let generated = 0;
  for (let i = 0; i < 8; i++)
    generated += generate(m1, 'The whale', { maxTokens: 64, temperature: 1, seed: i }).completionTokens;
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(`inference, in process: ${Math.round(generated / s)} tokens/s (8 samples of 64 tokens)\n`);

  const dir = await mkdtemp(path.join(tmpdir(), 'phylo-bench-lab-'));
  try {
    await saveCheckpoint(
      path.join(dir, 'bench.safetensors'),
      m1,
      {
        name: 'bench',
        parent: null,
        lineage: [],
        datasets: [],
        steps: 0,
        seed: 1,
        loss: 0,
        heldOut: {},
        config: CONFIG,
        fingerprint: 'bench',
        tokens: 0,
        seconds: 0,
      },
      'F16',
    );
    const server = await startLabServer({ zooDir: dir });
    try {
      for (const concurrent of [1, 8]) {
        const requests = 16;
        const t1 = performance.now();
        let tokens = 0;
        let next = 0;
        const worker = async () => {
          while (next < requests) {
            next++;
            const res = await fetch(`${server.url}/v1/completions`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ model: 'bench', prompt: 'The whale', max_tokens: 64, temperature: 1, seed: next }),
            });
            const body = (await res.json()) as { usage: { completion_tokens: number } };
            tokens += body.usage.completion_tokens;
          }
        };
        await Promise.all(Array.from({ length: concurrent }, worker));
        const secs = (performance.now() - t1) / 1000;
        process.stdout.write(
          `inference, lab server, ${concurrent} concurrent: ${Math.round(tokens / secs)} tokens/s, ` +
            `${(requests / secs).toFixed(1)} requests/s (${requests} requests of 64 tokens)\n`,
        );
      }
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = { name: 'lab', run };
