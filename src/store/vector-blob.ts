// Embedding vectors as database blobs: little-endian float32, the precision embedding APIs serve, half the bytes of
// float64.
import os from 'node:os';

const LITTLE_ENDIAN = os.endianness() === 'LE';

/** A vector as little-endian float32 bytes: the precision embedding APIs serve, half the bytes of float64. */
export function encodeVector(v: ArrayLike<number>): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(Float32Array.from(v).buffer);
  const buf = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i]!, i * 4);
  return buf;
}

export function decodeVector(buf: Buffer, dim: number): Float64Array {
  if (buf.length !== dim * 4) throw new Error(`embedding blob of ${buf.length} bytes for ${dim} dimensions`);
  if (LITTLE_ENDIAN) {
    // A copy, because the blob's offset in its pooled buffer need not be a multiple of 4.
    const aligned = new Uint8Array(buf.length);
    aligned.set(buf);
    return Float64Array.from(new Float32Array(aligned.buffer));
  }
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
