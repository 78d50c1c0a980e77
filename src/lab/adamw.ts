// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019), over one flat parameter vector.
import type { ParamLayout } from './config.js';

export interface AdamWOptions {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWOptions = { lr: 3e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01 };

export class AdamW {
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** 1 where the parameter is decayed (matrices), 0 elsewhere. */
  private readonly decayMask: Uint8Array;
  step = 0;

  constructor(
    layout: ParamLayout,
    readonly options: AdamWOptions = ADAMW_DEFAULTS,
  ) {
    this.m = new Float32Array(layout.total);
    this.v = new Float32Array(layout.total);
    this.decayMask = new Uint8Array(layout.total);
    for (const t of layout.tensors) if (t.decay) this.decayMask.fill(1, t.offset, t.offset + t.size);
  }

  /** One update with learning rate lr (the schedule is the caller's). */
  update(params: Float32Array, grads: Float32Array, lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.options;
    this.step++;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    const m = this.m;
    const v = this.v;
    const mask = this.decayMask;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      let p = params[i]!;
      if (mask[i]) p -= lr * weightDecay * p;
      params[i] = p - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
    }
  }
}
