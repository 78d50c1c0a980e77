// Which dtypes can be read as float, and how: one codec per dtype name. safetensors and GGUF share the names of the
// float types (F32, F16, BF16); the quantized names are ggml's.
import { InputError } from '../core/errors.js';
import { decodeBf16, decodeF16 } from './half.js';
import {
  dequantizeQ4_0,
  dequantizeQ4_1,
  dequantizeQ4_K,
  dequantizeQ5_0,
  dequantizeQ5_1,
  dequantizeQ5_K,
  dequantizeQ6_K,
  dequantizeQ8_0,
  type Dequantize,
} from './ggml-quants.js';
import type { TensorInfo } from './tensor.js';

export interface Codec {
  /** Values per block: 1 for plain floats, 32 or 256 for ggml blocks. */
  readonly blockElements: number;
  readonly blockBytes: number;
  readonly decode: Dequantize;
}

const decodeF32: Dequantize = (src, p, n, out, o) => {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let i = 0; i < n; i++) out[o + i] = view.getFloat32(p + 4 * i, true);
};

export const CODECS: Readonly<Record<string, Codec>> = {
  F32: { blockElements: 1, blockBytes: 4, decode: decodeF32 },
  F16: { blockElements: 1, blockBytes: 2, decode: (s, p, n, out, o) => decodeF16(s, p, n, out, o) },
  BF16: { blockElements: 1, blockBytes: 2, decode: (s, p, n, out, o) => decodeBf16(s, p, n, out, o) },
  Q4_0: { blockElements: 32, blockBytes: 18, decode: dequantizeQ4_0 },
  Q4_1: { blockElements: 32, blockBytes: 20, decode: dequantizeQ4_1 },
  Q5_0: { blockElements: 32, blockBytes: 22, decode: dequantizeQ5_0 },
  Q5_1: { blockElements: 32, blockBytes: 24, decode: dequantizeQ5_1 },
  Q8_0: { blockElements: 32, blockBytes: 34, decode: dequantizeQ8_0 },
  Q4_K: { blockElements: 256, blockBytes: 144, decode: dequantizeQ4_K },
  Q5_K: { blockElements: 256, blockBytes: 176, decode: dequantizeQ5_K },
  Q6_K: { blockElements: 256, blockBytes: 210, decode: dequantizeQ6_K },
};

/** The largest block: windows are multiples of it, so every window starts on a block boundary. */
export const MAX_BLOCK_ELEMENTS = 256;

export function codecFor(t: TensorInfo): Codec {
  const codec = CODECS[t.dtype];
  if (!codec) {
    throw new InputError(
      `${t.file}: tensor ${t.name} has dtype ${t.dtype}, which llm-phylo cannot read as float (it reads ` +
        `${Object.keys(CODECS).join(', ')}); exclude it with --layers or convert the model`,
    );
  }
  return codec;
}
