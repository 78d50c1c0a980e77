// Layer alignment: tensor names of different conventions mapped onto one canonical scheme so models compare layer by
// layer. The canonical names are GGUF's (llama.cpp gguf-py/gguf/tensor_mapping.py maps Hugging Face names the same
// way): `blk.N.ROLE.PARAM` for block tensors, `ROLE.PARAM` for the embedding, final norm and output head.

export interface CanonicalName {
  /** e.g. `blk.3.attn_q.weight`, `token_embd.weight`; the original name when no convention matched. */
  readonly canonical: string;
  /** The layer it belongs to: `blk.N`, or the role of a global tensor (`token_embd`, `output`...), or `other`. */
  readonly layer: string;
  readonly block: number | null;
  readonly role: string;
  readonly param: string;
  /** Whether a known convention matched (unknown names still compare between models that share them). */
  readonly known: boolean;
}

// Hugging Face llama-style (Llama, Mistral, Qwen, Gemma...) block sub-modules.
const HF_BLOCK: Readonly<Record<string, string>> = {
  'self_attn.q_proj': 'attn_q',
  'self_attn.k_proj': 'attn_k',
  'self_attn.v_proj': 'attn_v',
  'self_attn.o_proj': 'attn_output',
  'self_attn.q_norm': 'attn_q_norm',
  'self_attn.k_norm': 'attn_k_norm',
  'mlp.gate_proj': 'ffn_gate',
  'mlp.up_proj': 'ffn_up',
  'mlp.down_proj': 'ffn_down',
  input_layernorm: 'attn_norm',
  post_attention_layernorm: 'ffn_norm',
};

// GPT-2 (and the project's lab models, which use exactly these names).
const GPT2_BLOCK: Readonly<Record<string, string>> = {
  ln_1: 'attn_norm',
  'attn.c_attn': 'attn_qkv',
  'attn.c_proj': 'attn_output',
  ln_2: 'ffn_norm',
  'mlp.c_fc': 'ffn_up',
  'mlp.c_proj': 'ffn_down',
};

const GLOBAL: Readonly<Record<string, string>> = {
  // GGUF
  token_embd: 'token_embd',
  position_embd: 'position_embd',
  token_embd_norm: 'token_embd_norm',
  output_norm: 'output_norm',
  output: 'output',
  // Hugging Face llama-style
  embed_tokens: 'token_embd',
  norm: 'output_norm',
  lm_head: 'output',
  // GPT-2
  wte: 'token_embd',
  wpe: 'position_embd',
  ln_f: 'output_norm',
};

const PREFIX = /^(?:language_model\.)?(?:model\.|transformer\.)?/;
const GGUF_BLOCK = /^blk\.(\d+)\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/;
const HF_LAYER = /^layers\.(\d+)\.(.+)\.([A-Za-z0-9_]+)$/;
const GPT2_LAYER = /^h\.(\d+)\.(.+)\.([A-Za-z0-9_]+)$/;
const GLOBAL_NAME = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/;

export function canonicalName(name: string): CanonicalName {
  let m = GGUF_BLOCK.exec(name);
  if (m) return block(Number(m[1]), m[2]!, m[3]!);
  const bare = name.replace(PREFIX, '');
  m = HF_LAYER.exec(bare);
  if (m && HF_BLOCK[m[2]!]) return block(Number(m[1]), HF_BLOCK[m[2]!]!, m[3]!);
  m = GPT2_LAYER.exec(bare);
  if (m && GPT2_BLOCK[m[2]!]) return block(Number(m[1]), GPT2_BLOCK[m[2]!]!, m[3]!);
  m = GLOBAL_NAME.exec(bare);
  if (m && GLOBAL[m[1]!]) {
    const role = GLOBAL[m[1]!]!;
    return { canonical: `${role}.${m[2]}`, layer: role, block: null, role, param: m[2]!, known: true };
  }
  // Unknown convention: keep the name; a block number in it still groups it with its layer.
  const n = /(?:^|\.)(?:h|layers|blk|block|blocks)\.(\d+)\./.exec(name);
  const param = name.slice(name.lastIndexOf('.') + 1);
  return {
    canonical: name,
    layer: n ? `blk.${n[1]}` : 'other',
    block: n ? Number(n[1]) : null,
    role: name,
    param,
    known: false,
  };
}

function block(index: number, role: string, param: string): CanonicalName {
  return { canonical: `blk.${index}.${role}.${param}`, layer: `blk.${index}`, block: index, role, param, known: true };
}

const GLOBAL_ORDER = ['token_embd', 'position_embd', 'token_embd_norm'];
const TAIL_ORDER = ['output_norm', 'output'];

/** Sort key for layers: embeddings, blocks in order, final norm, output head, then anything else. */
export function compareLayers(a: string, b: string): number {
  return layerKey(a) - layerKey(b) || a.localeCompare(b);
}

function layerKey(layer: string): number {
  const g = GLOBAL_ORDER.indexOf(layer);
  if (g >= 0) return g;
  const m = /^blk\.(\d+)$/.exec(layer);
  if (m) return 100 + Number(m[1]);
  const t = TAIL_ORDER.indexOf(layer);
  if (t >= 0) return 1e9 + t;
  return 2e9;
}
