// A byte-level GPT-2-style transformer (Radford et al. 2019): token + position embeddings, pre-LN blocks of causal
// multi-head attention and a GELU MLP, final layer norm, untied output head. Forward and hand-written backward over
// one flat Float32Array of parameters (layout in config.ts), so that AdamW and checkpoints see a single vector.
import { paramLayout, tensorView, type ModelConfig, type ParamLayout } from './config.js';
import { randomNormal, seededRng } from '../core/random.js';
import {
  attentionBackward,
  attentionForward,
  geluBackward,
  geluForward,
  layerNormBackward,
  layerNormForward,
  linearBackward,
  linearForward,
} from './ops.js';

export interface Model {
  readonly layout: ParamLayout;
  readonly params: Float32Array;
}

/** A fresh model with GPT-2 initialisation from a seed. */
export function initModel(config: ModelConfig, seed: number): Model {
  const layout = paramLayout(config);
  const params = new Float32Array(layout.total);
  const rng = seededRng(seed);
  for (const t of layout.tensors) {
    const v = params.subarray(t.offset, t.offset + t.size);
    if (t.init.kind === 'const') v.fill(t.init.value);
    else for (let i = 0; i < v.length; i++) v[i] = randomNormal(rng) * t.init.std;
  }
  return { layout, params };
}

interface BlockViews {
  ln1g: Float32Array;
  ln1b: Float32Array;
  attnW: Float32Array;
  attnB: Float32Array;
  projW: Float32Array;
  projB: Float32Array;
  ln2g: Float32Array;
  ln2b: Float32Array;
  fcW: Float32Array;
  fcB: Float32Array;
  fcProjW: Float32Array;
  fcProjB: Float32Array;
}

interface Views {
  wte: Float32Array;
  wpe: Float32Array;
  blocks: BlockViews[];
  lnfg: Float32Array;
  lnfb: Float32Array;
  head: Float32Array;
}

export function views(layout: ParamLayout, flat: Float32Array): Views {
  const v = (n: string) => tensorView(layout, flat, n);
  const blocks: BlockViews[] = [];
  for (let l = 0; l < layout.config.layers; l++) {
    const p = `h.${l}.`;
    blocks.push({
      ln1g: v(`${p}ln_1.weight`),
      ln1b: v(`${p}ln_1.bias`),
      attnW: v(`${p}attn.c_attn.weight`),
      attnB: v(`${p}attn.c_attn.bias`),
      projW: v(`${p}attn.c_proj.weight`),
      projB: v(`${p}attn.c_proj.bias`),
      ln2g: v(`${p}ln_2.weight`),
      ln2b: v(`${p}ln_2.bias`),
      fcW: v(`${p}mlp.c_fc.weight`),
      fcB: v(`${p}mlp.c_fc.bias`),
      fcProjW: v(`${p}mlp.c_proj.weight`),
      fcProjB: v(`${p}mlp.c_proj.bias`),
    });
  }
  return {
    wte: v('wte.weight'),
    wpe: v('wpe.weight'),
    blocks,
    lnfg: v('ln_f.weight'),
    lnfb: v('ln_f.bias'),
    head: v('lm_head.weight'),
  };
}

interface BlockCache {
  xIn: Float32Array;
  ln1: Float32Array;
  ln1Mean: Float32Array;
  ln1Rstd: Float32Array;
  qkv: Float32Array;
  probs: Float32Array;
  att: Float32Array;
  xMid: Float32Array;
  ln2: Float32Array;
  ln2Mean: Float32Array;
  ln2Rstd: Float32Array;
  fcPre: Float32Array;
  fcAct: Float32Array;
}

/** Activations of one sequence, reused across calls (allocated once per model shape). */
export class Workspace {
  readonly blocks: BlockCache[];
  readonly xFinal: Float32Array;
  readonly lnf: Float32Array;
  readonly lnfMean: Float32Array;
  readonly lnfRstd: Float32Array;
  readonly logits: Float32Array;
  // backward scratch
  readonly dx: Float32Array;
  readonly dTmp: Float32Array;
  readonly dAtt: Float32Array;
  readonly dQkv: Float32Array;
  readonly dFc: Float32Array;
  readonly dFcPre: Float32Array;
  readonly dRow: Float32Array;
  readonly dLogits: Float32Array;

  constructor(readonly config: ModelConfig) {
    const { ctx: T, d, heads, hidden, vocab, layers } = config;
    const f = (n: number) => new Float32Array(n);
    this.blocks = [];
    for (let l = 0; l < layers; l++) {
      this.blocks.push({
        xIn: f(T * d),
        ln1: f(T * d),
        ln1Mean: f(T),
        ln1Rstd: f(T),
        qkv: f(T * 3 * d),
        probs: f(heads * T * T),
        att: f(T * d),
        xMid: f(T * d),
        ln2: f(T * d),
        ln2Mean: f(T),
        ln2Rstd: f(T),
        fcPre: f(T * hidden),
        fcAct: f(T * hidden),
      });
    }
    this.xFinal = f(T * d);
    this.lnf = f(T * d);
    this.lnfMean = f(T);
    this.lnfRstd = f(T);
    this.logits = f(T * vocab);
    this.dx = f(T * d);
    this.dTmp = f(T * d);
    this.dAtt = f(T * d);
    this.dQkv = f(T * 3 * d);
    this.dFc = f(T * hidden);
    this.dFcPre = f(T * hidden);
    this.dRow = f(T);
    this.dLogits = f(T * vocab);
  }
}

/** Forward pass of one sequence of T <= ctx tokens; leaves logits [T, vocab] in ws.logits. */
export function forward(model: Model, ws: Workspace, tokens: ArrayLike<number>, T: number): void {
  const { d, heads, hidden, vocab } = model.layout.config;
  const p = views(model.layout, model.params);
  const x0 = ws.blocks.length > 0 ? ws.blocks[0]!.xIn : ws.xFinal;
  for (let t = 0; t < T; t++) {
    const tok = tokens[t]!;
    for (let i = 0; i < d; i++) x0[t * d + i] = p.wte[tok * d + i]! + p.wpe[t * d + i]!;
  }
  for (let l = 0; l < p.blocks.length; l++) {
    const b = p.blocks[l]!;
    const c = ws.blocks[l]!;
    const xOut = l + 1 < ws.blocks.length ? ws.blocks[l + 1]!.xIn : ws.xFinal;
    layerNormForward(c.ln1, c.ln1Mean, c.ln1Rstd, c.xIn, b.ln1g, b.ln1b, T, d);
    linearForward(c.qkv, c.ln1, b.attnW, b.attnB, T, d, 3 * d);
    attentionForward(c.att, c.probs, c.qkv, T, d, heads);
    linearForward(c.xMid, c.att, b.projW, b.projB, T, d, d);
    for (let i = 0; i < T * d; i++) c.xMid[i]! += c.xIn[i]!;
    layerNormForward(c.ln2, c.ln2Mean, c.ln2Rstd, c.xMid, b.ln2g, b.ln2b, T, d);
    linearForward(c.fcPre, c.ln2, b.fcW, b.fcB, T, d, hidden);
    geluForward(c.fcAct, c.fcPre, T * hidden);
    linearForward(xOut, c.fcAct, b.fcProjW, b.fcProjB, T, hidden, d);
    for (let i = 0; i < T * d; i++) xOut[i]! += c.xMid[i]!;
  }
  layerNormForward(ws.lnf, ws.lnfMean, ws.lnfRstd, ws.xFinal, p.lnfg, p.lnfb, T, d);
  // logits[t, v] = lnf[t] . lm_head[v]
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < vocab; v++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += ws.lnf[t * d + i]! * p.head[v * d + i]!;
      ws.logits[t * vocab + v] = s;
    }
  }
}

/**
 * Cross-entropy of predicting tokens[1..T] from tokens[0..T-1], summed over positions (nats); when grads is given,
 * adds d(sum loss)/d(params) * gradScale into it.
 */
export function sequenceLoss(
  model: Model,
  ws: Workspace,
  tokens: ArrayLike<number>,
  T: number,
  grads: Float32Array | null,
  gradScale = 1,
): number {
  const { d, heads, hidden, vocab } = model.layout.config;
  forward(model, ws, tokens, T);
  let loss = 0;
  const dl = ws.dLogits;
  for (let t = 0; t < T; t++) {
    const o = t * vocab;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) if (ws.logits[o + v]! > max) max = ws.logits[o + v]!;
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(ws.logits[o + v]! - max);
    const target = tokens[t + 1]!;
    loss += Math.log(sum) + max - ws.logits[o + target]!;
    if (grads) {
      for (let v = 0; v < vocab; v++) dl[o + v] = (Math.exp(ws.logits[o + v]! - max) / sum) * gradScale;
      dl[o + target]! -= gradScale;
    }
  }
  if (!grads) return loss;
  const p = views(model.layout, model.params);
  const g = views(model.layout, grads);
  // head: logits = lnf @ head^T
  const dx = ws.dx;
  const dTmp = ws.dTmp;
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < d; i++) dTmp[t * d + i] = 0;
    for (let v = 0; v < vocab; v++) {
      const gl = dl[t * vocab + v]!;
      const hv = v * d;
      const lt = t * d;
      for (let i = 0; i < d; i++) {
        dTmp[lt + i]! += gl * p.head[hv + i]!;
        g.head[hv + i]! += gl * ws.lnf[lt + i]!;
      }
    }
  }
  dx.fill(0, 0, T * d);
  layerNormBackward(dx, g.lnfg, g.lnfb, dTmp, ws.xFinal, p.lnfg, ws.lnfMean, ws.lnfRstd, T, d);
  for (let l = p.blocks.length - 1; l >= 0; l--) {
    const b = p.blocks[l]!;
    const gb = g.blocks[l]!;
    const c = ws.blocks[l]!;
    // x_out = x_mid + fcProj(gelu(fc(ln2(x_mid))))
    linearBackward(ws.dFc, gb.fcProjW, gb.fcProjB, dx, c.fcAct, b.fcProjW, T, hidden, d);
    geluBackward(ws.dFcPre, ws.dFc, c.fcPre, T * hidden);
    linearBackward(dTmp, gb.fcW, gb.fcB, ws.dFcPre, c.ln2, b.fcW, T, d, hidden);
    layerNormBackward(dx, gb.ln2g, gb.ln2b, dTmp, c.xMid, b.ln2g, c.ln2Mean, c.ln2Rstd, T, d);
    // x_mid = x_in + proj(attn(qkv(ln1(x_in))))
    linearBackward(ws.dAtt, gb.projW, gb.projB, dx, c.att, b.projW, T, d, d);
    attentionBackward(ws.dQkv, ws.dAtt, c.probs, c.qkv, T, d, heads, ws.dRow);
    linearBackward(dTmp, gb.attnW, gb.attnB, ws.dQkv, c.ln1, b.attnW, T, d, 3 * d);
    layerNormBackward(dx, gb.ln1g, gb.ln1b, dTmp, c.xIn, b.ln1g, c.ln1Mean, c.ln1Rstd, T, d);
  }
  for (let t = 0; t < T; t++) {
    const tok = tokens[t]!;
    for (let i = 0; i < d; i++) {
      g.wte[tok * d + i]! += dx[t * d + i]!;
      g.wpe[t * d + i]! += dx[t * d + i]!;
    }
  }
  return loss;
}

export { paramLayout };
