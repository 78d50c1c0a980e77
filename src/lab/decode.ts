// Inference for lab models: incremental decoding with a key/value cache (one position per step), and sampling with
// temperature, top-k, nucleus top-p (Holtzman et al. 2020) and a seed. Logprobs are the model's own (temperature 1).
import { seededRng, type Rng } from '../core/random.js';
import type { TokenLogprob } from '../core/types.js';
import { views, type Model } from './model.js';
import { geluForward, layerNormForward, linearForward } from './ops.js';
import { decodeToken, encode } from './tokenizer.js';

export interface GenerateOptions {
  readonly maxTokens: number;
  /** 0 means greedy. */
  readonly temperature: number;
  /** 0 or absent: no top-k cut. */
  readonly topK?: number;
  readonly topP?: number;
  readonly seed?: number;
  /** Return logprobs of each chosen token and this many alternatives. */
  readonly logprobs?: boolean;
  readonly topLogprobs?: number;
  /** Stop when the generated text ends with one of these (the stop text is removed). */
  readonly stop?: readonly string[];
}

export interface Generation {
  readonly text: string;
  readonly finishReason: 'stop' | 'length';
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly logprobs?: TokenLogprob[];
}

/** A model with a key/value cache for one sequence. */
export class Decoder {
  private readonly k: Float32Array[];
  private readonly v: Float32Array[];
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through `const { p, x, h } = this` in step().
  private readonly x: Float32Array;
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through `const { p, x, h } = this` in step().
  private readonly h: Float32Array;
  private readonly mean = new Float32Array(1);
  private readonly rstd = new Float32Array(1);
  private readonly qkv: Float32Array;
  private readonly att: Float32Array;
  private readonly tmp: Float32Array;
  private readonly fc: Float32Array;
  private readonly fcAct: Float32Array;
  private readonly scores: Float32Array;
  readonly logits: Float32Array;
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through `const { p, x, h } = this` in step().
  private readonly p: ReturnType<typeof views>;
  /** Tokens currently in the cache. */
  private context: number[] = [];

  constructor(readonly model: Model) {
    const { ctx, d, hidden, vocab, layers } = model.layout.config;
    this.k = Array.from({ length: layers }, () => new Float32Array(ctx * d));
    this.v = Array.from({ length: layers }, () => new Float32Array(ctx * d));
    this.x = new Float32Array(d);
    this.h = new Float32Array(d);
    this.qkv = new Float32Array(3 * d);
    this.att = new Float32Array(d);
    this.tmp = new Float32Array(d);
    this.fc = new Float32Array(hidden);
    this.fcAct = new Float32Array(hidden);
    this.scores = new Float32Array(ctx);
    this.logits = new Float32Array(vocab);
    this.p = views(model.layout, model.params);
  }

  reset(): void {
    this.context = [];
  }

  /** Feed one token; logits for the next token are left in this.logits. Slides the window when the context is full. */
  push(token: number): void {
    const { ctx } = this.model.layout.config;
    if (this.context.length === ctx) {
      // Keep the most recent half and rebuild the cache from it (positions restart at 0).
      const keep = this.context.slice(ctx - Math.floor(ctx / 2));
      this.context = [];
      for (const t of keep) this.step(t);
    }
    this.step(token);
  }

  private step(token: number): void {
    const { d, heads, hidden, vocab } = this.model.layout.config;
    const pos = this.context.length;
    this.context.push(token);
    const { p, x, h } = this;
    for (let i = 0; i < d; i++) x[i] = p.wte[token * d + i]! + p.wpe[pos * d + i]!;
    const hd = d / heads;
    const scale = 1 / Math.sqrt(hd);
    for (let l = 0; l < p.blocks.length; l++) {
      const b = p.blocks[l]!;
      const K = this.k[l]!;
      const V = this.v[l]!;
      layerNormForward(h, this.mean, this.rstd, x, b.ln1g, b.ln1b, 1, d);
      linearForward(this.qkv, h, b.attnW, b.attnB, 1, d, 3 * d);
      K.set(this.qkv.subarray(d, 2 * d), pos * d);
      V.set(this.qkv.subarray(2 * d, 3 * d), pos * d);
      this.att.fill(0);
      for (let hh = 0; hh < heads; hh++) {
        const o = hh * hd;
        let max = -Infinity;
        for (let s = 0; s <= pos; s++) {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += this.qkv[o + i]! * K[s * d + o + i]!;
          dot *= scale;
          this.scores[s] = dot;
          if (dot > max) max = dot;
        }
        let sum = 0;
        for (let s = 0; s <= pos; s++) {
          const e = Math.exp(this.scores[s]! - max);
          this.scores[s] = e;
          sum += e;
        }
        for (let s = 0; s <= pos; s++) {
          const a = this.scores[s]! / sum;
          for (let i = 0; i < hd; i++) this.att[o + i]! += a * V[s * d + o + i]!;
        }
      }
      linearForward(this.tmp, this.att, b.projW, b.projB, 1, d, d);
      for (let i = 0; i < d; i++) x[i]! += this.tmp[i]!;
      layerNormForward(h, this.mean, this.rstd, x, b.ln2g, b.ln2b, 1, d);
      linearForward(this.fc, h, b.fcW, b.fcB, 1, d, hidden);
      geluForward(this.fcAct, this.fc, hidden);
      linearForward(this.tmp, this.fcAct, b.fcProjW, b.fcProjB, 1, hidden, d);
      for (let i = 0; i < d; i++) x[i]! += this.tmp[i]!;
    }
    layerNormForward(h, this.mean, this.rstd, x, p.lnfg, p.lnfb, 1, d);
    for (let v = 0; v < vocab; v++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += h[i]! * p.head[v * d + i]!;
      this.logits[v] = s;
    }
  }
}

/** log-softmax of logits (temperature 1). */
export function logSoftmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const l of logits) if (l > max) max = l;
  let sum = 0;
  for (const l of logits) sum += Math.exp(l - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! - lse;
  return out;
}

/** Draw a token from logits: greedy at temperature 0, else softmax(logits / T) cut by top-k and top-p. */
export function sampleToken(
  logits: Float32Array,
  o: Pick<GenerateOptions, 'temperature' | 'topK' | 'topP'>,
  rng: Rng,
): number {
  const n = logits.length;
  if (o.temperature <= 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const k = o.topK && o.topK > 0 ? Math.min(o.topK, n) : n;
  const max = logits[order[0]!]!;
  const w = new Float64Array(k);
  let sum = 0;
  for (let r = 0; r < k; r++) {
    w[r] = Math.exp((logits[order[r]!]! - max) / o.temperature);
    sum += w[r]!;
  }
  let keep = k;
  if (o.topP !== undefined && o.topP > 0 && o.topP < 1) {
    let acc = 0;
    for (let r = 0; r < k; r++) {
      acc += w[r]! / sum;
      if (acc >= o.topP) {
        keep = r + 1;
        break;
      }
    }
    sum = 0;
    for (let r = 0; r < keep; r++) sum += w[r]!;
  }
  let u = rng() * sum;
  for (let r = 0; r < keep; r++) {
    u -= w[r]!;
    if (u <= 0) return order[r]!;
  }
  return order[keep - 1]!;
}

/** The seed of one sample (moved to core/random.ts so that the collector derives the same seeds). */
export { sampleSeed } from '../core/random.js';

/** Continue a prefix. An empty prefix starts from a paragraph break, as every training document does. */
export function generate(model: Model, prefix: string, o: GenerateOptions, decoder = new Decoder(model)): Generation {
  const { vocab, ctx } = model.layout.config;
  let prompt = Array.from(encode(prefix, vocab));
  if (prompt.length === 0) prompt = [10, 10];
  const promptTokens = prompt.length;
  if (prompt.length > ctx) prompt = prompt.slice(prompt.length - ctx);
  decoder.reset();
  for (const t of prompt) decoder.push(t);
  const rng = seededRng(o.seed ?? Math.floor(Math.random() * 2 ** 32));
  const out: number[] = [];
  const logprobs: TokenLogprob[] = [];
  let text = '';
  for (let i = 0; i < o.maxTokens; i++) {
    const tok = sampleToken(decoder.logits, o, rng);
    if (o.logprobs) {
      const lp = logSoftmax(decoder.logits);
      const top =
        o.topLogprobs && o.topLogprobs > 0
          ? Array.from({ length: vocab }, (_, j) => j)
              .sort((a, b) => lp[b]! - lp[a]! || a - b)
              .slice(0, o.topLogprobs)
              .map((j) => ({ token: decodeToken(j), logprob: lp[j]! }))
          : undefined;
      logprobs.push(
        top ? { token: decodeToken(tok), logprob: lp[tok]!, top } : { token: decodeToken(tok), logprob: lp[tok]! },
      );
    }
    out.push(tok);
    text += decodeToken(tok);
    const stop = o.stop?.find((s) => s.length > 0 && text.endsWith(s));
    if (stop) {
      return {
        text: text.slice(0, text.length - stop.length),
        finishReason: 'stop',
        promptTokens,
        completionTokens: out.length,
        ...(o.logprobs ? { logprobs } : {}),
      };
    }
    if (i + 1 < o.maxTokens) decoder.push(tok);
  }
  return {
    text,
    finishReason: 'length',
    promptTokens,
    completionTokens: out.length,
    ...(o.logprobs ? { logprobs } : {}),
  };
}
