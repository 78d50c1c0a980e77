// Reads GGUF headers (llama.cpp's docs/gguf.md, versions 2 and 3): magic "GGUF", version, tensor and key/value
// counts, typed metadata, tensor infos (name, dims innermost first, ggml type, offset), then the aligned data section.
import { open, stat } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import type { TensorInfo, WeightSet } from './tensor.js';

/** ggml_type ids (ggml.h) with block size in values and bytes; ids absent here are reported as unknown. */
export const GGML_TYPES: Readonly<Record<number, { name: string; blockElements: number; blockBytes: number }>> = {
  0: { name: 'F32', blockElements: 1, blockBytes: 4 },
  1: { name: 'F16', blockElements: 1, blockBytes: 2 },
  2: { name: 'Q4_0', blockElements: 32, blockBytes: 18 },
  3: { name: 'Q4_1', blockElements: 32, blockBytes: 20 },
  6: { name: 'Q5_0', blockElements: 32, blockBytes: 22 },
  7: { name: 'Q5_1', blockElements: 32, blockBytes: 24 },
  8: { name: 'Q8_0', blockElements: 32, blockBytes: 34 },
  9: { name: 'Q8_1', blockElements: 32, blockBytes: 36 },
  10: { name: 'Q2_K', blockElements: 256, blockBytes: 84 },
  11: { name: 'Q3_K', blockElements: 256, blockBytes: 110 },
  12: { name: 'Q4_K', blockElements: 256, blockBytes: 144 },
  13: { name: 'Q5_K', blockElements: 256, blockBytes: 176 },
  14: { name: 'Q6_K', blockElements: 256, blockBytes: 210 },
  15: { name: 'Q8_K', blockElements: 256, blockBytes: 292 },
  16: { name: 'IQ2_XXS', blockElements: 256, blockBytes: 66 },
  17: { name: 'IQ2_XS', blockElements: 256, blockBytes: 74 },
  18: { name: 'IQ3_XXS', blockElements: 256, blockBytes: 98 },
  19: { name: 'IQ1_S', blockElements: 256, blockBytes: 50 },
  20: { name: 'IQ4_NL', blockElements: 32, blockBytes: 18 },
  21: { name: 'IQ3_S', blockElements: 256, blockBytes: 110 },
  22: { name: 'IQ2_S', blockElements: 256, blockBytes: 82 },
  23: { name: 'IQ4_XS', blockElements: 256, blockBytes: 136 },
  24: { name: 'I8', blockElements: 1, blockBytes: 1 },
  25: { name: 'I16', blockElements: 1, blockBytes: 2 },
  26: { name: 'I32', blockElements: 1, blockBytes: 4 },
  27: { name: 'I64', blockElements: 1, blockBytes: 8 },
  28: { name: 'F64', blockElements: 1, blockBytes: 8 },
  29: { name: 'IQ1_M', blockElements: 256, blockBytes: 56 },
  30: { name: 'BF16', blockElements: 1, blockBytes: 2 },
  34: { name: 'TQ1_0', blockElements: 256, blockBytes: 54 },
  35: { name: 'TQ2_0', blockElements: 256, blockBytes: 66 },
  39: { name: 'MXFP4', blockElements: 32, blockBytes: 17 },
};

export const GGUF_VALUE = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

const DEFAULT_ALIGNMENT = 32;
/** Arrays longer than this (token lists, merges) are summarised in the metadata rather than kept. */
const MAX_KEPT_ARRAY = 64;
/** Metadata arrays nest at most this deep (real files use one level); deeper is a corrupt or hostile header. */
export const MAX_GGUF_ARRAY_DEPTH = 8;

export interface GgufArraySummary {
  readonly arrayOf: string;
  readonly length: number;
}

export interface GgufHeader {
  readonly file: string;
  readonly version: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly tensors: readonly TensorInfo[];
  readonly alignment: number;
  readonly dataStart: number;
}

/** Thrown inside the parser when the buffer ends early; the reader then reads more of the file and retries. */
class NeedMore extends Error {}

class Cursor {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): number {
    if (this.pos + n > this.buf.length) throw new NeedMore();
    const p = this.pos;
    this.pos += n;
    return p;
  }
  u8(): number {
    return this.view.getUint8(this.need(1));
  }
  i8(): number {
    return this.view.getInt8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.need(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }
  f32(): number {
    return this.view.getFloat32(this.need(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.need(8), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }
  bytes(n: number): Uint8Array {
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }
}

const decoder = new TextDecoder('utf-8');

export async function readGgufHeader(file: string): Promise<GgufHeader> {
  const size = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    // Most headers fit in 4 MiB; tokenizer-heavy ones (150k-token vocabularies) take a few retries with more.
    for (let length = Math.min(size, 4 << 20); ; length = Math.min(size, length * 4)) {
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buf, done, length - done, done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      try {
        return parseGgufHeader(file, buf.subarray(0, done), size);
      } catch (err) {
        if (!(err instanceof NeedMore)) throw err;
        if (length >= size)
          throw new InputError(`${file}: GGUF header runs past the end of the file (${size} bytes; truncated?)`);
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * Parse a GGUF header from the first bytes of a file of `fileSize` bytes. Pure; throws NeedMore when `buf` is short.
 */
export function parseGgufHeader(file: string, buf: Uint8Array, fileSize: number): GgufHeader {
  const bad = (problem: string): InputError => new InputError(`${file}: not a readable GGUF file: ${problem}`);
  const c = new Cursor(buf);
  if (buf.length >= 4) {
    const magic = decoder.decode(c.bytes(4));
    if (magic !== 'GGUF') throw bad(`wrong magic ${JSON.stringify(magic)} (expected "GGUF")`);
  }
  if (fileSize < 24) throw bad(`file is ${fileSize} bytes, too short for a GGUF header (truncated?)`);
  const version = c.u32();
  if (version === 1)
    throw bad('GGUF version 1 is not supported (only 2 and 3); re-convert it with a current llama.cpp');
  if (version > 0xffff)
    throw bad(`version field ${version} looks byte-swapped: big-endian GGUF files are not supported`);
  if (version !== 2 && version !== 3) throw bad(`GGUF version ${version} is not supported (only 2 and 3)`);
  const tensorCount = toSafe(c.u64(), 'tensor count', bad);
  const kvCount = toSafe(c.u64(), 'metadata count', bad);
  // Each entry takes at least 8 bytes: counts above the file size mean a corrupt header, not a big model.
  if (tensorCount > fileSize / 8 || kvCount > fileSize / 8)
    throw bad(`implausible counts (${tensorCount} tensors, ${kvCount} metadata keys)`);

  const str = (): string => {
    const n = toSafe(c.u64(), 'string length', bad);
    if (n > fileSize) throw bad(`string length ${n} exceeds the file size`);
    return decoder.decode(c.bytes(n));
  };
  const scalar = (type: number): unknown => {
    switch (type) {
      case GGUF_VALUE.UINT8:
        return c.u8();
      case GGUF_VALUE.INT8:
        return c.i8();
      case GGUF_VALUE.UINT16:
        return c.u16();
      case GGUF_VALUE.INT16:
        return c.i16();
      case GGUF_VALUE.UINT32:
        return c.u32();
      case GGUF_VALUE.INT32:
        return c.i32();
      case GGUF_VALUE.FLOAT32:
        return c.f32();
      case GGUF_VALUE.BOOL:
        return c.u8() !== 0;
      case GGUF_VALUE.STRING:
        return str();
      case GGUF_VALUE.UINT64:
        return bigToJson(c.u64());
      case GGUF_VALUE.INT64:
        return bigToJson(c.i64());
      case GGUF_VALUE.FLOAT64:
        return c.f64();
      default:
        throw bad(`unknown metadata value type ${type}`);
    }
  };
  const value = (key: string, type: number, depth = 0): unknown => {
    if (type !== GGUF_VALUE.ARRAY) return scalar(type);
    if (depth >= MAX_GGUF_ARRAY_DEPTH)
      throw bad(`metadata ${key}: arrays nested more than ${MAX_GGUF_ARRAY_DEPTH} deep (the limit)`);
    const itemType = c.u32();
    const length = toSafe(c.u64(), `metadata ${key} length`, bad);
    if (length > fileSize) throw bad(`metadata ${key}: array length ${length} exceeds the file size`);
    const kept: unknown[] = [];
    for (let j = 0; j < length; j++) {
      const v = value(key, itemType, depth + 1);
      if (length <= MAX_KEPT_ARRAY) kept.push(v);
    }
    return length <= MAX_KEPT_ARRAY ? kept : ({ arrayOf: valueTypeName(itemType), length } satisfies GgufArraySummary);
  };
  const metadata: Record<string, unknown> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    metadata[key] = value(key, c.u32());
  }
  const alignment =
    typeof metadata['general.alignment'] === 'number' ? (metadata['general.alignment'] as number) : DEFAULT_ALIGNMENT;
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0)
    throw bad(`general.alignment ${alignment} is not a power of two`);

  const raw: { name: string; dims: number[]; type: number; offset: number }[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const nDims = c.u32();
    if (nDims > 4) throw bad(`tensor ${name}: ${nDims} dimensions (ggml allows at most 4)`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(toSafe(c.u64(), `tensor ${name} dimension`, bad));
    const type = c.u32();
    const offset = toSafe(c.u64(), `tensor ${name} offset`, bad);
    raw.push({ name, dims, type, offset });
  }
  const dataStart = Math.ceil(c.pos / alignment) * alignment;
  const dataSize = fileSize - dataStart;
  const tensors: TensorInfo[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    if (seen.has(r.name)) throw bad(`tensor ${r.name} appears twice`);
    seen.add(r.name);
    const elements = r.dims.reduce((a, b) => a * b, 1);
    const info = GGML_TYPES[r.type];
    let bytes = NaN;
    if (info) {
      if ((r.dims[0] ?? 1) % info.blockElements !== 0) {
        throw bad(
          `tensor ${r.name}: ${info.name} rows of ${r.dims[0]} values are not a whole number of ` +
            `${info.blockElements}-value blocks`,
        );
      }
      bytes = (elements / info.blockElements) * info.blockBytes;
    }
    if (r.offset % alignment !== 0)
      throw bad(`tensor ${r.name}: data offset ${r.offset} is not a multiple of the alignment ${alignment}`);
    const end = r.offset + (Number.isNaN(bytes) ? 0 : bytes);
    if (end > dataSize)
      throw bad(
        `tensor ${r.name}: data [${r.offset}, ${end}) runs past the end of the data section (${dataSize} bytes; file ` +
          `truncated?)`,
      );
    tensors.push({
      name: r.name,
      dtype: info ? info.name : `GGML_TYPE_${r.type}`,
      // ggml lists dims innermost first; row-major outermost-first matches safetensors / PyTorch.
      shape: [...r.dims].reverse(),
      elements,
      bytes,
      file,
      offset: dataStart + r.offset,
    });
  }
  const spans = tensors.filter((t) => !Number.isNaN(t.bytes) && t.bytes > 0).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1]!;
    if (spans[i]!.offset < prev.offset + prev.bytes) throw bad(`tensors ${prev.name} and ${spans[i]!.name} overlap`);
  }
  return { file, version, metadata, tensors, alignment, dataStart };
}

export async function readGguf(file: string, source = file): Promise<WeightSet> {
  const h = await readGgufHeader(file);
  return {
    source,
    format: 'gguf',
    files: [file],
    tensors: markRopePermutation(h.tensors, h.metadata),
    metadata: { 'gguf.version': h.version, ...h.metadata },
  };
}

/**
 * llama.cpp's convert_hf_to_gguf.py (LlamaModel.permute) reorders the rows of each head of q_proj (n_head heads) and
 * k_proj (n_head_kv heads) for llama-architecture models; mark those tensors so the reader can restore HF order.
 */
export function markRopePermutation(
  tensors: readonly TensorInfo[],
  metadata: Readonly<Record<string, unknown>>,
): TensorInfo[] {
  if (metadata['general.architecture'] !== 'llama') return [...tensors];
  const heads = metadata['llama.attention.head_count'];
  const kv = metadata['llama.attention.head_count_kv'] ?? heads;
  if (typeof heads !== 'number' || typeof kv !== 'number') return [...tensors];
  return tensors.map((t) => {
    const m = /^blk\.\d+\.attn_(q|k)\.(weight|bias)$/.exec(t.name);
    if (!m) return t;
    const n = m[1] === 'q' ? heads : kv;
    const rows = t.shape[0] ?? 0;
    return n > 0 && rows % (2 * n) === 0 ? { ...t, ropeHeads: n } : t;
  });
}

function toSafe(v: bigint, what: string, bad: (p: string) => InputError): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`${what} ${v} is too large`);
  return Number(v);
}

function bigToJson(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
}

function valueTypeName(t: number): string {
  return (
    Object.entries(GGUF_VALUE)
      .find(([, v]) => v === t)?.[0]
      .toLowerCase() ?? `type ${t}`
  );
}
