// Writes the safetensors format (huggingface/safetensors: u64 LE header length, JSON header, raw little-endian
// data). Data is written tensor by tensor through a fixed-size buffer, so a writer never holds the file in memory.
import { open } from 'node:fs/promises';
import { f32ToBf16Bits, f32ToF16Bits } from './half.js';

export type WritableDType = 'F32' | 'F16' | 'BF16';

export interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: WritableDType;
  readonly shape: number[];
  /** Values in row-major order; converted to `dtype` on write (F16/BF16 round to nearest even). */
  readonly data: Float32Array;
}

/** A tensor whose values are produced on demand: `fill(start, out)` writes elements [start, start + out.length). */
export interface GeneratedTensor {
  readonly name: string;
  readonly dtype: WritableDType;
  readonly shape: readonly number[];
  readonly fill: (start: number, out: Float32Array) => void;
}

const BYTES: Record<WritableDType, number> = { F32: 4, F16: 2, BF16: 2 };
/** Elements converted per write call: 1 Mi elements = 4 MiB of F32. */
const CHUNK_ELEMENTS = 1 << 20;

export async function writeSafetensors(
  file: string,
  tensors: { name: string; dtype: 'F32' | 'F16' | 'BF16'; shape: number[]; data: Float32Array }[],
  metadata?: Record<string, string>,
): Promise<void> {
  const generated: GeneratedTensor[] = tensors.map((t) => {
    const count = elementCount(t.name, t.shape);
    if (t.data.length !== count) {
      throw new Error(
        `writeSafetensors ${file}: tensor ${t.name} has shape [${t.shape.join(', ')}] (${count} values) but ` +
          `${t.data.length} values were given`,
      );
    }
    return {
      name: t.name,
      dtype: t.dtype,
      shape: t.shape,
      fill: (start, out) => out.set(t.data.subarray(start, start + out.length)),
    };
  });
  await writeGeneratedSafetensors(file, generated, metadata);
}

/** The streaming form of writeSafetensors, for tensors too large to build in memory (benchmarks, synthetic zoos). */
export async function writeGeneratedSafetensors(
  file: string,
  tensors: readonly GeneratedTensor[],
  metadata?: Record<string, string>,
): Promise<void> {
  const header = safetensorsHeader(file, tensors, metadata);
  const handle = await open(file, 'w');
  try {
    let position = 0;
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(BigInt(header.length));
    await writeFully(handle, head, position);
    position += 8;
    await writeFully(handle, header, position);
    position += header.length;
    const values = new Float32Array(CHUNK_ELEMENTS);
    const bytes = Buffer.allocUnsafe(CHUNK_ELEMENTS * 2);
    for (const t of tensors) {
      const count = elementCount(t.name, t.shape);
      const width = BYTES[t.dtype];
      for (let start = 0; start < count; start += CHUNK_ELEMENTS) {
        const n = Math.min(CHUNK_ELEMENTS, count - start);
        const chunk = values.subarray(0, n);
        t.fill(start, chunk);
        // F32 goes out as the Float32Array's own bytes (little-endian hosts only, as Node runs on x86 and ARM).
        const out =
          t.dtype === 'F32' ? new Uint8Array(chunk.buffer, chunk.byteOffset, n * 4) : encodeHalf(t.dtype, chunk, bytes);
        await writeFully(handle, out, position);
        position += n * width;
      }
    }
  } finally {
    await handle.close();
  }
}

/** The header bytes: JSON with `__metadata__` first, padded with spaces to a multiple of 8 (allowed by the spec). */
export function safetensorsHeader(
  file: string,
  tensors: readonly { name: string; dtype: WritableDType; shape: readonly number[] }[],
  metadata?: Record<string, string>,
): Buffer {
  const entries: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`writeSafetensors ${file}: metadata ${k} must be a string`);
    }
    entries.__metadata__ = metadata;
  }
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name.length === 0)
      throw new Error(`writeSafetensors ${file}: invalid tensor name "${t.name}"`);
    if (Object.hasOwn(entries, t.name)) throw new Error(`writeSafetensors ${file}: duplicate tensor name ${t.name}`);
    if (!(t.dtype in BYTES))
      throw new Error(`writeSafetensors ${file}: tensor ${t.name} has dtype ${t.dtype}; write F32, F16 or BF16`);
    const size = elementCount(t.name, t.shape) * BYTES[t.dtype];
    entries[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = Buffer.from(JSON.stringify(entries), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  const header = Buffer.alloc(padded, 0x20);
  json.copy(header);
  return header;
}

function elementCount(name: string, shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0)
      throw new Error(`writeSafetensors: tensor ${name} has invalid dimension ${d}`);
    n *= d;
  }
  return n;
}

function encodeHalf(dtype: 'F16' | 'BF16', values: Float32Array, out: Buffer): Uint8Array {
  const toBits = dtype === 'F16' ? f32ToF16Bits : f32ToBf16Bits;
  for (let i = 0; i < values.length; i++) {
    const h = toBits(values[i]!);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
  return out.subarray(0, values.length * 2);
}

async function writeFully(
  handle: import('node:fs/promises').FileHandle,
  data: Uint8Array,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}
