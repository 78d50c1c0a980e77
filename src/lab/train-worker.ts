// A training worker thread: computes the gradients of its share of a batch into shared per-sequence slots, reading
// the parameters the main thread updates in shared memory (see trainParallel in train.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { paramLayout, type ModelConfig } from './config.js';
import { sequenceLoss, Workspace, type Model } from './model.js';

const data = workerData as { config: ModelConfig; params: SharedArrayBuffer; slots: SharedArrayBuffer };
const layout = paramLayout(data.config);
const model: Model = { layout, params: new Float32Array(data.params) };
const ws = new Workspace(data.config);

parentPort!.on('message', (msg: { indices: number[]; windows: Uint8Array[]; scale: number; T: number }) => {
  const losses = msg.indices.map((b, i) => {
    const slot = new Float32Array(data.slots, b * layout.total * 4, layout.total);
    slot.fill(0);
    return sequenceLoss(model, ws, msg.windows[i]!, msg.T, slot, msg.scale);
  });
  parentPort!.postMessage({ losses });
});
