// Training and evaluation loops: seeded random windows of ctx+1 bytes, AdamW with warmup and cosine decay, global
// gradient-norm clipping (GPT-2/nanoGPT practice). Single-threaded and deterministic for a seed.
import { Worker as WorkerCtor } from 'node:worker_threads';
import { AdamW, ADAMW_DEFAULTS } from './adamw.js';
import { sequenceLoss, Workspace, type Model } from './model.js';
import { randomInt, seededRng, type Rng } from '../core/random.js';

export interface TrainOptions {
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  readonly warmup: number;
  /** Final learning rate as a fraction of lr at the end of the cosine. */
  readonly minLrFraction: number;
  readonly weightDecay: number;
  readonly clip: number;
  readonly seed: number;
}

export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly tokens: number;
}

export interface TrainResult {
  /** Mean training loss (nats per byte) over the last tenth of the steps. */
  readonly finalLoss: number;
  readonly tokens: number;
  readonly seconds: number;
}

/** Warmup then cosine decay (Loshchilov & Hutter 2017, SGDR without restarts). */
export function learningRate(step: number, o: Pick<TrainOptions, 'steps' | 'lr' | 'warmup' | 'minLrFraction'>): number {
  if (step < o.warmup) return (o.lr * (step + 1)) / o.warmup;
  const progress = o.steps <= o.warmup ? 1 : (step - o.warmup) / Math.max(1, o.steps - o.warmup);
  const min = o.lr * o.minLrFraction;
  return min + 0.5 * (o.lr - min) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}

/** A random window of length n from one of the sources, each source equally likely. */
function sampleWindow(rng: Rng, sources: readonly Uint8Array[], n: number, out: Uint8Array): void {
  const src = sources[randomInt(rng, sources.length)]!;
  if (src.length < n) throw new Error(`lab training: a dataset has ${src.length} bytes, fewer than the window of ${n}`);
  const start = randomInt(rng, src.length - n + 1);
  out.set(src.subarray(start, start + n));
}

/** One training run's state, shared by train() and trainParallel(): batches, optimizer, schedule, bookkeeping. */
class TrainingRun {
  readonly grads: Float32Array;
  readonly scale: number;
  private readonly opt: AdamW;
  private readonly rng: Rng;
  private readonly tail: number;
  private readonly t0 = performance.now();
  private tailLoss = 0;
  private tokens = 0;
  private step = 0;

  constructor(
    private readonly model: Model,
    private readonly sources: readonly Uint8Array[],
    private readonly options: TrainOptions,
    private readonly onProgress?: (p: TrainProgress) => void,
  ) {
    this.grads = new Float32Array(model.layout.total);
    this.scale = 1 / (options.batch * model.layout.config.ctx);
    this.opt = new AdamW(model.layout, { ...ADAMW_DEFAULTS, lr: options.lr, weightDecay: options.weightDecay });
    this.rng = seededRng(options.seed);
    this.tail = Math.max(1, Math.floor(options.steps / 10));
  }

  get done(): boolean {
    return this.step >= this.options.steps;
  }

  /** The next batch's windows of ctx+1 bytes; the gradient buffer is cleared for them. */
  nextBatch(): Uint8Array[] {
    this.grads.fill(0);
    const n = this.model.layout.config.ctx + 1;
    const out: Uint8Array[] = [];
    for (let b = 0; b < this.options.batch; b++) {
      const w = new Uint8Array(n);
      sampleWindow(this.rng, this.sources, n, w);
      out.push(w);
    }
    return out;
  }

  /** Once the batch's gradient is in `grads` (added in batch order): clip, update `params`, report. */
  finishStep(losses: readonly number[], params: Float32Array): void {
    let loss = 0;
    for (const l of losses) loss += l;
    loss *= this.scale;
    this.tokens += this.options.batch * this.model.layout.config.ctx;
    clipGradients(this.grads, this.options.clip);
    this.opt.update(params, this.grads, learningRate(this.step, this.options));
    if (this.step >= this.options.steps - this.tail) this.tailLoss += loss;
    this.step++;
    this.onProgress?.({ step: this.step, steps: this.options.steps, loss, tokens: this.tokens });
  }

  result(): TrainResult {
    return { finalLoss: this.tailLoss / this.tail, tokens: this.tokens, seconds: (performance.now() - this.t0) / 1000 };
  }
}

/**
 * Trains the model in place on windows drawn from the sources (a mixture when several). Each sequence's gradient is
 * computed into its own buffer and the buffers are added in batch order, so the result is bit-identical whether the
 * batch is spread over worker threads (trainParallel) or not.
 */
export function train(
  model: Model,
  sources: readonly Uint8Array[],
  options: TrainOptions,
  onProgress?: (p: TrainProgress) => void,
): TrainResult {
  const T = model.layout.config.ctx;
  const ws = new Workspace(model.layout.config);
  const seqGrad = new Float32Array(model.layout.total);
  const run = new TrainingRun(model, sources, options, onProgress);
  while (!run.done) {
    const losses = run.nextBatch().map((w) => {
      seqGrad.fill(0);
      const loss = sequenceLoss(model, ws, w, T, seqGrad, run.scale);
      for (let i = 0; i < seqGrad.length; i++) run.grads[i]! += seqGrad[i]!;
      return loss;
    });
    run.finishStep(losses, model.params);
  }
  return run.result();
}

/** The worker thread; from TypeScript sources (tsx, tests) it is started through tsx's loader. */
function spawnWorker(workerData: unknown): import('node:worker_threads').Worker {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./train-worker${ext}`, import.meta.url);
  if (ext === '.js') return new WorkerCtor(url, { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new WorkerCtor(code, { eval: true, workerData });
}

/** Send a worker its share of the batch; resolves with its losses by batch index. */
function workerStep(
  w: import('node:worker_threads').Worker,
  indices: number[],
  windows: readonly Uint8Array[],
  scale: number,
  T: number,
): Promise<Map<number, number>> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    w.once('error', onError);
    w.once('message', (msg: { losses: number[] }) => {
      w.off('error', onError);
      resolve(new Map(indices.map((b, i) => [b, msg.losses[i]!])));
    });
    w.postMessage({ indices, windows: indices.map((b) => windows[b]!), scale, T });
  });
}

/**
 * train() with the batch spread over worker threads (data parallelism): the parameters live in shared memory, each
 * worker writes its sequences' gradients into shared per-sequence slots, and the main thread adds the slots in batch
 * order. Same weights as train() for the same options, whatever the number of workers.
 */
export async function trainParallel(
  model: Model,
  sources: readonly Uint8Array[],
  options: TrainOptions,
  workers: number,
  onProgress?: (p: TrainProgress) => void,
): Promise<TrainResult> {
  const n = Math.max(1, Math.min(workers, options.batch));
  if (n === 1) return train(model, sources, options, onProgress);
  const total = model.layout.total;
  const T = model.layout.config.ctx;
  const shared = new Float32Array(new SharedArrayBuffer(total * 4));
  shared.set(model.params);
  const slots = new SharedArrayBuffer(options.batch * total * 4);
  const pool = Array.from({ length: n }, () =>
    spawnWorker({ config: model.layout.config, params: shared.buffer, slots }),
  );
  try {
    const run = new TrainingRun(model, sources, options, onProgress);
    while (!run.done) {
      const windows = run.nextBatch();
      const parts = await Promise.all(
        pool.map((w, k) =>
          workerStep(
            w,
            windows.map((_, b) => b).filter((b) => b % n === k),
            windows,
            run.scale,
            T,
          ),
        ),
      );
      const losses = windows.map((_, b) => parts[b % n]!.get(b)!);
      for (let b = 0; b < options.batch; b++) {
        const slot = new Float32Array(slots, b * total * 4, total);
        for (let i = 0; i < total; i++) run.grads[i]! += slot[i]!;
      }
      run.finishStep(losses, shared);
    }
    model.params.set(shared);
    return run.result();
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Scales the gradient so its global L2 norm is at most maxNorm; returns the norm before clipping. */
export function clipGradients(grads: Float32Array, maxNorm: number): number {
  let s = 0;
  for (let i = 0; i < grads.length; i++) s += grads[i]! * grads[i]!;
  const norm = Math.sqrt(s);
  if (maxNorm > 0 && norm > maxNorm) {
    const k = maxNorm / norm;
    for (let i = 0; i < grads.length; i++) grads[i]! *= k;
  }
  return norm;
}

/**
 * Held-out cross-entropy in bits per byte over the first `windows` non-overlapping windows of ctx+1 bytes spread
 * evenly through the text (deterministic, so every model is scored on the same bytes).
 */
export function bitsPerByte(model: Model, text: Uint8Array, windows: number): number {
  const T = model.layout.config.ctx;
  const ws = new Workspace(model.layout.config);
  const n = Math.min(windows, Math.floor(text.length / (T + 1)));
  if (n === 0) throw new Error(`lab evaluation: held-out text of ${text.length} bytes is shorter than one window`);
  const stride = Math.floor(text.length / n);
  let nats = 0;
  for (let w = 0; w < n; w++) {
    const start = Math.min(w * stride, text.length - T - 1);
    nats += sequenceLoss(model, ws, text.subarray(start, start + T + 1), T, null);
  }
  return nats / (n * T) / Math.LN2;
}
