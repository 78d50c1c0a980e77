// The shape of a lab model and where each tensor lives in its one flat parameter vector. Tensor names and layouts
// follow GPT-2 (Radford et al. 2019, HF `transformers` naming): Conv1D weights are [in, out]; `lm_head.weight` is
// untied and stored [vocab, d] as in HF's GPT2LMHeadModel.

export interface ModelConfig {
  /** Byte vocabulary: 128 (ASCII; corpora are folded to ASCII) or 256. */
  readonly vocab: number;
  /** Context length (positions). */
  readonly ctx: number;
  /** Model width. */
  readonly d: number;
  readonly heads: number;
  readonly layers: number;
  /** MLP hidden width (GPT-2 uses 4d). */
  readonly hidden: number;
}

export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset into the flat parameter vector. */
  readonly offset: number;
  readonly size: number;
  /** How to initialise: normal with this std, or constant. */
  readonly init: { readonly kind: 'normal'; readonly std: number } | { readonly kind: 'const'; readonly value: number };
  /** AdamW decays matrices, not biases, gains or embeddings' positions (GPT-2/nanoGPT practice). */
  readonly decay: boolean;
}

export interface ParamLayout {
  readonly config: ModelConfig;
  readonly tensors: readonly TensorSpec[];
  readonly byName: ReadonlyMap<string, TensorSpec>;
  readonly total: number;
}

export function validateConfig(c: ModelConfig): void {
  const ok = (v: number) => Number.isInteger(v) && v > 0;
  if (![c.vocab, c.ctx, c.d, c.heads, c.layers, c.hidden].every(ok))
    throw new Error(`lab model config: all sizes must be positive integers`);
  if (c.d % c.heads !== 0) throw new Error(`lab model config: d=${c.d} is not a multiple of heads=${c.heads}`);
  if (c.vocab > 256) throw new Error(`lab model config: byte-level vocab is at most 256`);
}

/** The GPT-2 tensor list for a config, in a fixed order (the checkpoint order). */
export function paramLayout(config: ModelConfig): ParamLayout {
  validateConfig(config);
  const { vocab, ctx, d, layers, hidden } = config;
  const std = 0.02;
  // GPT-2 scales the residual projections by 1/sqrt(2 * layers).
  const projStd = 0.02 / Math.sqrt(2 * layers);
  const specs: Omit<TensorSpec, 'offset' | 'size'>[] = [];
  const add = (name: string, shape: number[], init: TensorSpec['init'], decay: boolean) =>
    specs.push({ name, shape, init, decay });
  const ones = { kind: 'const', value: 1 } as const;
  const zeros = { kind: 'const', value: 0 } as const;
  add('wte.weight', [vocab, d], { kind: 'normal', std }, true);
  add('wpe.weight', [ctx, d], { kind: 'normal', std: 0.01 }, false);
  for (let l = 0; l < layers; l++) {
    const p = `h.${l}.`;
    add(`${p}ln_1.weight`, [d], ones, false);
    add(`${p}ln_1.bias`, [d], zeros, false);
    add(`${p}attn.c_attn.weight`, [d, 3 * d], { kind: 'normal', std }, true);
    add(`${p}attn.c_attn.bias`, [3 * d], zeros, false);
    add(`${p}attn.c_proj.weight`, [d, d], { kind: 'normal', std: projStd }, true);
    add(`${p}attn.c_proj.bias`, [d], zeros, false);
    add(`${p}ln_2.weight`, [d], ones, false);
    add(`${p}ln_2.bias`, [d], zeros, false);
    add(`${p}mlp.c_fc.weight`, [d, hidden], { kind: 'normal', std }, true);
    add(`${p}mlp.c_fc.bias`, [hidden], zeros, false);
    add(`${p}mlp.c_proj.weight`, [hidden, d], { kind: 'normal', std: projStd }, true);
    add(`${p}mlp.c_proj.bias`, [d], zeros, false);
  }
  add('ln_f.weight', [d], ones, false);
  add('ln_f.bias', [d], zeros, false);
  add('lm_head.weight', [vocab, d], { kind: 'normal', std }, true);
  let offset = 0;
  const tensors: TensorSpec[] = specs.map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const t = { ...s, offset, size };
    offset += size;
    return t;
  });
  return { config, tensors, byName: new Map(tensors.map((t) => [t.name, t])), total: offset };
}

/** A view of one named tensor inside a flat vector (parameters, gradients or optimizer moments). */
export function tensorView(layout: ParamLayout, flat: Float32Array, name: string): Float32Array {
  const t = layout.byName.get(name);
  if (!t) throw new Error(`lab model: no tensor ${name}`);
  return flat.subarray(t.offset, t.offset + t.size);
}
