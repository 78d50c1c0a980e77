// What every weight reader returns: a list of tensors located in files, read later window by window.

export type WeightFormat = 'safetensors' | 'gguf';

export interface TensorInfo {
  /** The name as stored in the file. */
  readonly name: string;
  /** The dtype as the format names it: 'F32', 'BF16', 'Q4_K', 'I8'... */
  readonly dtype: string;
  /** Row-major, outermost dimension first (GGUF's innermost-first dims are reversed to match). */
  readonly shape: readonly number[];
  readonly elements: number;
  /** Bytes on disk; NaN when the dtype's size is unknown. */
  readonly bytes: number;
  readonly file: string;
  /** Absolute byte offset of the first value in `file`. */
  readonly offset: number;
  /**
   * Set on llama-architecture GGUF attn_q / attn_k tensors: llama.cpp's converter interleaved the two rotary halves of
   * each of this many heads; the reader undoes it so the values line up with the Hugging Face original.
   */
  readonly ropeHeads?: number;
}

export interface WeightSet {
  /** What the user named: a path or `ollama:NAME[:TAG]`. */
  readonly source: string;
  readonly format: WeightFormat;
  readonly files: readonly string[];
  readonly tensors: readonly TensorInfo[];
  /** safetensors `__metadata__` (strings) or GGUF key/values (large arrays summarised). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
