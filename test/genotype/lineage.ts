// A small zoo of GPT-2-shaped models with a known lineage, written to disk: a base, two children made by perturbing
// block 1, and two grandchildren of each made by perturbing block 2. One grandchild is written as GGUF with GGUF
// tensor names, so the comparison also crosses formats and naming conventions.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomNormal, seededRng, type Rng } from '../../src/core/random.js';
import { writeSafetensors } from '../../src/genotype/safetensors-write.js';
import { GGML_TYPE_ID, writeGguf } from './gguf-fixtures.js';

export const D = 16;
const VOCAB = 40;
const CTX = 8;
const BLOCKS = 4;

type Weights = Map<string, { shape: number[]; data: Float32Array }>;

function baseWeights(rng: Rng): Weights {
  const w: Weights = new Map();
  const add = (name: string, shape: number[], scale: number, offset = 0) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = offset + scale * randomNormal(rng);
    w.set(name, { shape, data });
  };
  add('wte.weight', [VOCAB, D], 0.02);
  add('wpe.weight', [CTX, D], 0.01);
  for (let b = 0; b < BLOCKS; b++) {
    add(`h.${b}.ln_1.weight`, [D], 0.01, 1);
    add(`h.${b}.ln_1.bias`, [D], 0.01);
    add(`h.${b}.attn.c_attn.weight`, [D, 3 * D], 0.02);
    add(`h.${b}.attn.c_proj.weight`, [D, D], 0.02);
    add(`h.${b}.ln_2.weight`, [D], 0.01, 1);
    add(`h.${b}.mlp.c_fc.weight`, [D, 4 * D], 0.02);
    add(`h.${b}.mlp.c_proj.weight`, [4 * D, D], 0.02);
  }
  add('ln_f.weight', [D], 0.01, 1);
  return w;
}

/** A copy of `w` with Gaussian noise of `sigma` added to every tensor of block `block`. */
function perturb(w: Weights, block: number, sigma: number, rng: Rng): Weights {
  const out: Weights = new Map();
  for (const [name, t] of w) {
    const data = t.data.slice();
    if (name.startsWith(`h.${block}.`))
      for (let i = 0; i < data.length; i++) data[i] = data[i]! + sigma * randomNormal(rng);
    out.set(name, { shape: t.shape, data });
  }
  return out;
}

const GGUF_NAMES: Record<string, string> = {
  'wte.weight': 'token_embd.weight',
  'wpe.weight': 'position_embd.weight',
  'ln_f.weight': 'output_norm.weight',
  ln_1: 'attn_norm',
  'attn.c_attn': 'attn_qkv',
  'attn.c_proj': 'attn_output',
  ln_2: 'ffn_norm',
  'mlp.c_fc': 'ffn_up',
  'mlp.c_proj': 'ffn_down',
};

function ggufName(name: string): string {
  if (GGUF_NAMES[name]) return GGUF_NAMES[name]!;
  const m = /^h\.(\d+)\.(.+)\.(weight|bias)$/.exec(name)!;
  return `blk.${m[1]}.${GGUF_NAMES[m[2]!]}.${m[3]}`;
}

export interface Zoo {
  /** Model paths by name. */
  readonly paths: Record<string, string>;
  /** The true tree, branch lengths in units of one perturbation's expected L2. */
  readonly newick: string;
  /** Blocks that carry the lineage. */
  readonly perturbedLayers: readonly string[];
}

export async function writeZoo(dir: string, seed = 7): Promise<Zoo> {
  const rng = seededRng(seed);
  const base = baseWeights(rng);
  const sigma = 0.01;
  const a = perturb(base, 1, sigma, rng);
  const b = perturb(base, 1, sigma, rng);
  const models: Record<string, Weights> = {
    base,
    a1: perturb(a, 2, sigma, rng),
    a2: perturb(a, 2, sigma, rng),
    b1: perturb(b, 2, sigma, rng),
    b2: perturb(b, 2, sigma, rng),
  };
  const paths: Record<string, string> = {};
  for (const [name, w] of Object.entries(models)) {
    const folder = path.join(dir, name);
    await mkdir(folder, { recursive: true });
    if (name === 'b2') {
      const file = path.join(folder, 'b2.gguf');
      await writeGguf(file, {
        metadata: [['general.architecture', 'string', 'gpt2']],
        tensors: [...w].map(([n, t]) => ({
          name: ggufName(n),
          dims: [...t.shape].reverse(),
          type: GGML_TYPE_ID.F32,
          data: new Uint8Array(t.data.buffer.slice(0)),
        })),
      });
      paths[name] = file;
    } else {
      await writeSafetensors(
        path.join(folder, 'model.safetensors'),
        [...w].map(([n, t]) => ({ name: n, dtype: 'F32' as const, shape: t.shape, data: t.data })),
        { lineage: name },
      );
      paths[name] = folder;
    }
  }
  return { paths, newick: '(base:0,(a1:1,a2:1):1,(b1:1,b2:1):1);', perturbedLayers: ['blk.1', 'blk.2'] };
}
