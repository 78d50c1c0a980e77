// Reads tensor values window by window through FileHandle reads into reusable buffers: memory stays bounded by the
// window size however large the file (DESIGN.md: weights are read in place, never loaded whole).
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { codecFor } from './codecs.js';
import type { TensorInfo } from './tensor.js';

/** One reader per model: it keeps its files open and owns one raw byte buffer, grown on demand and reused. */
export class TensorReader {
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private raw: Uint8Array = new Uint8Array(0);
  private scratch: Float32Array = new Float32Array(0);

  /**
   * Decode elements [start, start + count) of `t` into `out[0..count)`. `start` must fall on a block boundary of the
   * tensor's dtype (any multiple of 256 does); `count` may end mid-tensor only on a block boundary too.
   */
  async readWindow(t: TensorInfo, start: number, count: number, out: Float32Array): Promise<void> {
    const codec = codecFor(t);
    if (start % codec.blockElements !== 0 || (count % codec.blockElements !== 0 && start + count !== t.elements)) {
      throw new Error(
        `readWindow ${t.name}: window [${start}, ${start + count}) is not aligned to ${codec.blockElements}-value ` +
          `blocks`,
      );
    }
    if (start + count > t.elements) throw new Error(`readWindow ${t.name}: window past the end (${t.elements} values)`);
    const unit = windowUnit(t);
    if (start % unit !== 0 || count % unit !== 0)
      throw new Error(
        `readWindow ${t.name}: window [${start}, ${start + count}) does not hold whole heads (${unit} values)`,
      );
    const blocks = Math.ceil(count / codec.blockElements);
    const byteStart = t.offset + (start / codec.blockElements) * codec.blockBytes;
    const byteCount = blocks * codec.blockBytes;
    const handle = await this.handle(t.file);
    if (t.dtype === 'F32') {
      // The file's bytes are the Float32Array's bytes on a little-endian host: read straight into `out`.
      await readFully(handle, new Uint8Array(out.buffer, out.byteOffset, count * 4), byteStart, t);
    } else {
      if (this.raw.length < byteCount) this.raw = new Uint8Array(byteCount);
      const raw = this.raw.subarray(0, byteCount);
      await readFully(handle, raw, byteStart, t);
      codec.decode(raw, 0, blocks, out, 0);
    }
    if (t.ropeHeads) this.unpermuteHeads(t, out, count);
  }

  /** Undo LlamaModel.permute: within a head of d rows, GGUF row 2i + s holds HF row s * d/2 + i. */
  private unpermuteHeads(t: TensorInfo, out: Float32Array, count: number): void {
    const rows = t.shape[0]!;
    const rowLength = t.elements / rows;
    const headRows = rows / t.ropeHeads!;
    const half = headRows / 2;
    const unit = headRows * rowLength;
    if (this.scratch.length < unit) this.scratch = new Float32Array(unit);
    const scratch = this.scratch.subarray(0, unit);
    for (let h = 0; h < count; h += unit) {
      scratch.set(out.subarray(h, h + unit));
      for (let i = 0; i < half; i++) {
        for (let s = 0; s < 2; s++) {
          const from = (2 * i + s) * rowLength;
          out.set(scratch.subarray(from, from + rowLength), h + (s * half + i) * rowLength);
        }
      }
    }
  }

  /** A whole tensor as floats: for tests and small tensors only (the comparison streams windows). */
  async readTensor(t: TensorInfo): Promise<Float32Array> {
    const out = new Float32Array(t.elements);
    const step = 1 << 20;
    for (let start = 0; start < t.elements; start += step) {
      const n = Math.min(step, t.elements - start);
      await this.readWindow(t, start, n, out.subarray(start, start + n));
    }
    return out;
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    for (const h of handles) await (await h).close();
  }

  private handle(file: string): Promise<FileHandle> {
    let h = this.handles.get(file);
    if (!h) {
      h = open(file, 'r');
      this.handles.set(file, h);
    }
    return h;
  }
}

/** Windows of `t` must start and end on multiples of this: one head's rows when rows are permuted, else 1. */
export function windowUnit(t: TensorInfo): number {
  if (!t.ropeHeads) return 1;
  const rows = t.shape[0]!;
  return (rows / t.ropeHeads) * (t.elements / rows);
}

async function readFully(handle: FileHandle, into: Uint8Array, position: number, t: TensorInfo): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) {
      throw new InputError(
        `${t.file}: tensor ${t.name} ends at byte ${position + into.length} but the file ends at ${position + done} ` +
          `(truncated? re-download it)`,
      );
    }
    done += bytesRead;
  }
}
