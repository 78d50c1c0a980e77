import { describe, expect, it } from 'vitest';
import { initModel, sequenceLoss, Workspace, forward } from '../../src/lab/model.js';
import { Decoder, generate, logSoftmax } from '../../src/lab/decode.js';
import { bitsPerByte, train } from '../../src/lab/train.js';
import { loadDataset } from '../../src/lab/corpora.js';
import type { ModelConfig } from '../../src/lab/config.js';

const tiny: ModelConfig = { vocab: 16, ctx: 6, d: 8, heads: 2, layers: 2, hidden: 12 };

describe('lab transformer', () => {
  it('has an analytic gradient that matches central finite differences in every parameter block', () => {
    const model = initModel(tiny, 3);
    // Move gains and biases off their initial 1 and 0, so their gradients are exercised in general position.
    for (let i = 0; i < model.params.length; i++) model.params[i]! += 0.1 * Math.sin(1.7 * i + 0.3);
    const ws = new Workspace(tiny);
    const tokens = [1, 5, 3, 7, 2, 9, 4];
    const grads = new Float32Array(model.layout.total);
    sequenceLoss(model, ws, tokens, 6, grads);
    const h = 1e-2;
    for (const t of model.layout.tensors) {
      let worst = 0;
      let largest = 0;
      for (let k = 0; k < Math.min(t.size, 12); k++) {
        const i = t.offset + ((k * 7919) % t.size);
        const old = model.params[i]!;
        model.params[i] = old + h;
        const up = sequenceLoss(model, ws, tokens, 6, null);
        model.params[i] = old - h;
        const down = sequenceLoss(model, ws, tokens, 6, null);
        model.params[i] = old;
        const numeric = (up - down) / (2 * h);
        largest = Math.max(largest, Math.abs(numeric));
        worst = Math.max(
          worst,
          Math.abs(numeric - grads[i]!) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grads[i]!)),
        );
      }
      expect(largest, `${t.name} gradient is not trivially zero`).toBeGreaterThan(1e-4);
      expect(worst, t.name).toBeLessThan(2e-2);
    }
  });

  it('decodes incrementally with the same logits as the full forward pass', () => {
    const cfg: ModelConfig = { vocab: 32, ctx: 8, d: 16, heads: 4, layers: 2, hidden: 24 };
    const model = initModel(cfg, 5);
    for (let i = 0; i < model.params.length; i++) model.params[i]! += 0.05 * Math.cos(i);
    const tokens = [3, 14, 15, 9, 26, 5, 3, 5];
    const ws = new Workspace(cfg);
    forward(model, ws, tokens, tokens.length);
    const dec = new Decoder(model);
    for (let t = 0; t < tokens.length; t++) {
      dec.push(tokens[t]!);
      for (let v = 0; v < cfg.vocab; v++) expect(dec.logits[v]).toBeCloseTo(ws.logits[t * cfg.vocab + v]!, 4);
    }
  });

  it('samples reproducibly for a seed and greedily at temperature 0', () => {
    const cfg: ModelConfig = { vocab: 128, ctx: 16, d: 16, heads: 2, layers: 2, hidden: 32 };
    const model = initModel(cfg, 9);
    const a = generate(model, 'The whale', { maxTokens: 20, temperature: 1, seed: 4, logprobs: true, topLogprobs: 3 });
    const b = generate(model, 'The whale', { maxTokens: 20, temperature: 1, seed: 4 });
    const c = generate(model, 'The whale', { maxTokens: 20, temperature: 1, seed: 5 });
    expect(a.text).toBe(b.text);
    expect(a.text).not.toBe(c.text);
    expect(a.completionTokens).toBe(20);
    expect(a.logprobs).toHaveLength(20);
    for (const lp of a.logprobs!) {
      expect(lp.logprob).toBeLessThanOrEqual(0);
      expect(lp.top).toHaveLength(3);
      expect(lp.top![0]!.logprob).toBeGreaterThanOrEqual(lp.top![2]!.logprob);
    }
    // Greedy: every chosen token is the argmax, so its logprob equals the top alternative's.
    const g = generate(model, 'The whale', { maxTokens: 10, temperature: 0, logprobs: true, topLogprobs: 1 });
    for (const lp of g.logprobs!) expect(lp.logprob).toBeCloseTo(lp.top![0]!.logprob, 10);
    // Context longer than ctx slides the window instead of failing.
    expect(generate(model, 'x'.repeat(40), { maxTokens: 30, temperature: 1, seed: 1 }).completionTokens).toBe(30);
    const lsm = logSoftmax(new Float32Array([1, 2, 3]));
    expect(Math.exp(lsm[0]!) + Math.exp(lsm[1]!) + Math.exp(lsm[2]!)).toBeCloseTo(1, 12);
  });

  it('lowers held-out loss on real text by training, and gives the same weights for the same seed', async () => {
    const moby = await loadDataset('moby-dick', 128);
    const cfg: ModelConfig = { vocab: 128, ctx: 16, d: 16, heads: 2, layers: 2, hidden: 32 };
    const opts = { steps: 60, batch: 4, lr: 0.01, warmup: 5, minLrFraction: 0.1, weightDecay: 0.01, clip: 1, seed: 11 };
    const a = initModel(cfg, 1);
    const before = bitsPerByte(a, moby.heldOut, 16);
    const result = train(a, [moby.train], opts);
    const after = bitsPerByte(a, moby.heldOut, 16);
    expect(before).toBeGreaterThan(6.5); // about log2(128) = 7 bits for an untrained model
    expect(after).toBeLessThan(before - 1);
    expect(result.tokens).toBe(60 * 4 * 16);
    const b = initModel(cfg, 1);
    train(b, [moby.train], opts);
    expect(Buffer.from(b.params.buffer).equals(Buffer.from(a.params.buffer))).toBe(true);
    const c = initModel(cfg, 1);
    train(c, [moby.train], { ...opts, seed: 12 });
    expect(Buffer.from(c.params.buffer).equals(Buffer.from(a.params.buffer))).toBe(false);
  });
});
