// Test-side GGUF writer and ggml block encoders, written from the published layouts (llama.cpp docs/gguf.md and
// ggml-common.h block structs), independently of the reader under test. Each encoder returns its bytes and the values
// those codes stand for, so a test can check the decoder bit for bit and the encoding for precision.
import { writeFile } from 'node:fs/promises';
import { f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../../src/genotype/half.js';

export type Meta = readonly [
  key: string,
  type: 'u32' | 'f32' | 'string' | 'bool' | 'u64' | 'string[]' | 'i32[]',
  value: unknown,
];
export interface GgufTensorSpec {
  readonly name: string;
  /** ggml order: innermost (row length) first. */
  readonly dims: readonly number[];
  readonly type: number;
  readonly data: Uint8Array;
}

class Bytes {
  parts: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.parts.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
}

export async function writeGguf(
  file: string,
  opts: {
    version?: number;
    magic?: string;
    alignment?: number;
    metadata?: readonly Meta[];
    tensors: readonly GgufTensorSpec[];
  },
): Promise<void> {
  const alignment = opts.alignment ?? 32;
  const out = new Bytes();
  out.push(Buffer.from(opts.magic ?? 'GGUF', 'latin1'));
  out.u32(opts.version ?? 3);
  out.u64(opts.tensors.length);
  const meta: Meta[] = [...(opts.metadata ?? [])];
  if (opts.alignment !== undefined) meta.push(['general.alignment', 'u32', alignment]);
  out.u64(meta.length);
  for (const [key, type, value] of meta) {
    out.str(key);
    switch (type) {
      case 'u32':
        out.u32(4);
        out.u32(value as number);
        break;
      case 'f32':
        out.u32(6);
        out.f32(value as number);
        break;
      case 'bool':
        out.u32(7);
        out.push(Buffer.from([value ? 1 : 0]));
        break;
      case 'string':
        out.u32(8);
        out.str(value as string);
        break;
      case 'u64':
        out.u32(10);
        out.u64(value as number);
        break;
      case 'string[]':
        out.u32(9);
        out.u32(8);
        out.u64((value as string[]).length);
        for (const s of value as string[]) out.str(s);
        break;
      case 'i32[]':
        out.u32(9);
        out.u32(5);
        out.u64((value as number[]).length);
        for (const v of value as number[]) out.i32(v);
        break;
    }
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const t of opts.tensors) {
    offsets.push(offset);
    offset += Math.ceil(t.data.length / alignment) * alignment;
  }
  opts.tensors.forEach((t, i) => {
    out.str(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(t.type);
    out.u64(offsets[i]!);
  });
  out.push(Buffer.alloc((alignment - (out.length % alignment)) % alignment));
  for (const t of opts.tensors) {
    out.push(Buffer.from(t.data));
    out.push(Buffer.alloc((alignment - (t.data.length % alignment)) % alignment));
  }
  await writeFile(file, Buffer.concat(out.parts));
}

export const GGML_TYPE_ID = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q4_1: 3,
  Q5_0: 6,
  Q5_1: 7,
  Q8_0: 8,
  Q4_K: 12,
  Q5_K: 13,
  Q6_K: 14,
  BF16: 30,
} as const;
export type EncodedType = keyof typeof GGML_TYPE_ID;

export interface Encoded {
  readonly bytes: Uint8Array;
  /** The values the chosen codes represent under the format's formula. */
  readonly decoded: Float32Array;
}

const half = (v: number): number => f16BitsToF32(f32ToF16Bits(v));
const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));
function putHalf(b: Uint8Array, p: number, v: number): void {
  const h = f32ToF16Bits(v);
  b[p] = h & 0xff;
  b[p + 1] = h >> 8;
}

export function encode(type: EncodedType, x: Float32Array): Encoded {
  switch (type) {
    case 'F32':
      return { bytes: new Uint8Array(x.slice().buffer), decoded: x.slice() };
    case 'F16':
    case 'BF16': {
      const toBits = type === 'F16' ? f32ToF16Bits : f32ToBf16Bits;
      const bytes = new Uint8Array(x.length * 2);
      const decoded = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const h = toBits(x[i]!);
        bytes[2 * i] = h & 0xff;
        bytes[2 * i + 1] = h >> 8;
        decoded[i] = type === 'F16' ? f16BitsToF32(h) : new Float32Array(new Uint32Array([h << 16]).buffer)[0]!;
      }
      return { bytes, decoded };
    }
    case 'Q8_0':
      return blocks32(x, 34, (v, b, y) => {
        const amax = Math.max(...v.map(Math.abs));
        const d = half(amax / 127);
        putHalf(b, 0, d);
        for (let j = 0; j < 32; j++) {
          const q = d === 0 ? 0 : clamp(Math.round(v[j]! / d), -127, 127);
          b[2 + j] = q & 0xff;
          y[j] = q * d;
        }
      });
    case 'Q4_0':
    case 'Q5_0': {
      const bits = type === 'Q4_0' ? 4 : 5;
      const levels = 1 << bits;
      return blocks32(x, bits === 4 ? 18 : 22, (v, b, y) => {
        let max = 0;
        for (const a of v) if (Math.abs(a) > Math.abs(max)) max = a;
        const d = half(max / -(levels / 2));
        putHalf(b, 0, d);
        const q = v.map((a) => (d === 0 ? levels / 2 : clamp(Math.round(a / d) + levels / 2, 0, levels - 1)));
        q.forEach((qq, j) => {
          y[j] = (qq - levels / 2) * d;
        });
        packNibbles(b, bits === 4 ? 2 : 6, q);
        if (bits === 5) packHighBits32(b, 2, q);
      });
    }
    case 'Q4_1':
    case 'Q5_1': {
      const bits = type === 'Q4_1' ? 4 : 5;
      const top = (1 << bits) - 1;
      return blocks32(x, bits === 4 ? 20 : 24, (v, b, y) => {
        const min = half(Math.min(...v));
        const d = half((Math.max(...v) - min) / top);
        putHalf(b, 0, d);
        putHalf(b, 2, min);
        const q = v.map((a) => (d === 0 ? 0 : clamp(Math.round((a - min) / d), 0, top)));
        q.forEach((qq, j) => {
          y[j] = qq * d + min;
        });
        packNibbles(b, bits === 4 ? 4 : 8, q);
        if (bits === 5) packHighBits32(b, 4, q);
      });
    }
    case 'Q4_K':
    case 'Q5_K':
      return encodeQ45K(x, type === 'Q4_K' ? 4 : 5);
    case 'Q6_K':
      return encodeQ6K(x);
  }
}

function blocks32(
  x: Float32Array,
  blockBytes: number,
  one: (v: number[], b: Uint8Array, y: Float32Array) => void,
): Encoded {
  const n = x.length / 32;
  const bytes = new Uint8Array(n * blockBytes);
  const decoded = new Float32Array(x.length);
  for (let i = 0; i < n; i++)
    one(
      Array.from(x.subarray(32 * i, 32 * i + 32)),
      bytes.subarray(i * blockBytes, (i + 1) * blockBytes),
      decoded.subarray(32 * i, 32 * i + 32),
    );
  return { bytes, decoded };
}

/** qs[j] holds value j in its low nibble and value j + 16 in its high nibble (low 4 bits of each). */
function packNibbles(b: Uint8Array, at: number, q: number[]): void {
  for (let j = 0; j < 16; j++) b[at + j] = (q[j]! & 0x0f) | ((q[j + 16]! & 0x0f) << 4);
}

/** qh is a little-endian u32 whose bit j is the fifth bit of value j. */
function packHighBits32(b: Uint8Array, at: number, q: number[]): void {
  let qh = 0;
  for (let j = 0; j < 32; j++) qh |= ((q[j]! >> 4) & 1) << j;
  b[at] = qh & 0xff;
  b[at + 1] = (qh >>> 8) & 0xff;
  b[at + 2] = (qh >>> 16) & 0xff;
  b[at + 3] = (qh >>> 24) & 0xff;
}

/** Q4_K / Q5_K super-block: 8 sub-blocks of 32 with 6-bit scale and min, packed into 12 bytes. */
function encodeQ45K(x: Float32Array, bits: 4 | 5): Encoded {
  const blockBytes = bits === 4 ? 144 : 176;
  const top = (1 << bits) - 1;
  const n = x.length / 256;
  const bytes = new Uint8Array(n * blockBytes);
  const decoded = new Float32Array(x.length);
  for (let i = 0; i < n; i++) {
    const v = x.subarray(256 * i, 256 * i + 256);
    const b = bytes.subarray(i * blockBytes, (i + 1) * blockBytes);
    const scales: number[] = [];
    const mins: number[] = [];
    for (let s = 0; s < 8; s++) {
      const sub = Array.from(v.subarray(32 * s, 32 * s + 32));
      const lo = Math.min(0, ...sub);
      scales.push((Math.max(...sub) - lo) / top);
      mins.push(-lo);
    }
    const d = half(Math.max(...scales) / 63);
    const dmin = half(Math.max(...mins) / 63);
    putHalf(b, 0, d);
    putHalf(b, 2, dmin);
    const sc = scales.map((s) => (d === 0 ? 0 : clamp(Math.round(s / d), 0, 63)));
    const m = mins.map((s) => (dmin === 0 ? 0 : clamp(Math.round(s / dmin), 0, 63)));
    for (let j = 0; j < 8; j++) {
      if (j < 4) {
        b[4 + j] = sc[j]!;
        b[4 + j + 4] = m[j]!;
      } else {
        b[4 + j + 4] = (sc[j]! & 0x0f) | ((m[j]! & 0x0f) << 4);
        b[4 + j - 4]! |= (sc[j]! >> 4) << 6;
        b[4 + j]! |= (m[j]! >> 4) << 6;
      }
    }
    const q = new Array<number>(256);
    for (let k = 0; k < 256; k++) {
      const s = k >> 5;
      const step = d * sc[s]!;
      const off = dmin * m[s]!;
      q[k] = step === 0 ? 0 : clamp(Math.round((v[k]! + off) / step), 0, top);
      decoded[256 * i + k] = step * q[k]! - off;
    }
    const qsAt = bits === 4 ? 16 : 48;
    for (let c = 0; c < 4; c++) {
      for (let l = 0; l < 32; l++) {
        const a = q[64 * c + l]!;
        const hi = q[64 * c + 32 + l]!;
        b[qsAt + 32 * c + l] = (a & 0x0f) | ((hi & 0x0f) << 4);
        if (bits === 5) b[16 + l]! |= ((a >> 4) << (2 * c)) | ((hi >> 4) << (2 * c + 1));
      }
    }
  }
  return { bytes, decoded };
}

/** Q6_K super-block: ql[128] low nibbles, qh[64] high 2 bits, 16 int8 scales, f16 d; value k uses scale k/16. */
function encodeQ6K(x: Float32Array): Encoded {
  const n = x.length / 256;
  const bytes = new Uint8Array(n * 210);
  const decoded = new Float32Array(x.length);
  for (let i = 0; i < n; i++) {
    const v = x.subarray(256 * i, 256 * i + 256);
    const b = bytes.subarray(i * 210, (i + 1) * 210);
    const scales: number[] = [];
    for (let s = 0; s < 16; s++) scales.push(Math.max(...Array.from(v.subarray(16 * s, 16 * s + 16), Math.abs)) / 31);
    const d = half(Math.max(...scales) / 127);
    putHalf(b, 208, d);
    const sc = scales.map((s) => (d === 0 ? 0 : clamp(Math.round(s / d), -128, 127)));
    sc.forEach((s, j) => {
      b[192 + j] = s & 0xff;
    });
    const q = new Array<number>(256);
    for (let k = 0; k < 256; k++) {
      const step = d * sc[k >> 4]!;
      q[k] = step === 0 ? 32 : clamp(Math.round(v[k]! / step) + 32, 0, 63);
      decoded[256 * i + k] = step * (q[k]! - 32);
    }
    for (let h = 0; h < 2; h++) {
      const base = 128 * h;
      for (let l = 0; l < 32; l++) {
        const [q1, q2, q3, q4] = [q[base + l]!, q[base + l + 32]!, q[base + l + 64]!, q[base + l + 96]!];
        b[64 * h + l] = (q1 & 0x0f) | ((q3 & 0x0f) << 4);
        b[64 * h + l + 32] = (q2 & 0x0f) | ((q4 & 0x0f) << 4);
        b[128 + 32 * h + l] = (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6);
      }
    }
  }
  return { bytes, decoded };
}
