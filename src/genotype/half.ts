// 16-bit floats: IEEE 754 binary16 (F16) and bfloat16 (BF16, the top half of a binary32), both ways.
// Encoding rounds to nearest, ties to even, as numpy / torch do, so written files read back bit-exact.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** binary32 -> binary16 bits, round to nearest even; overflow to infinity, NaN stays NaN. */
export function f32ToF16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  // Unbiased exponent re-biased for binary16 (bias 15 instead of 127).
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal in binary16 (or zero): shift the mantissa with its implicit bit into place.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && (half & 1) !== 0)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) !== 0)) half++; // may carry into the exponent: still correct
  return sign | half;
}

/** A 65536-entry table: decoding F16 is then one lookup per value. Built once, 256 KiB. */
let F16_TABLE: Float32Array | undefined;

function f16BitsToF32Slow(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function f16Table(): Float32Array {
  if (!F16_TABLE) {
    F16_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) F16_TABLE[h] = f16BitsToF32Slow(h);
  }
  return F16_TABLE;
}

export function f16BitsToF32(h: number): number {
  return f16Table()[h & 0xffff]!;
}

/** binary32 -> bfloat16 bits, round to nearest even (NaN kept quiet). */
export function f32ToBf16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x40) & 0xffff;
  const rounded = x + 0x7fff + ((x >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

export function bf16BitsToF32(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

/** Decode `count` little-endian F16 values starting at byte `offset` of `src` into `out`. */
export function decodeF16(src: Uint8Array, offset: number, count: number, out: Float32Array, outOffset = 0): void {
  const table = f16Table();
  for (let i = 0; i < count; i++) {
    const p = offset + 2 * i;
    out[outOffset + i] = table[src[p]! | (src[p + 1]! << 8)]!;
  }
}

/** Decode `count` little-endian BF16 values: each is the high half of a binary32. */
export function decodeBf16(src: Uint8Array, offset: number, count: number, out: Float32Array, outOffset = 0): void {
  const bits = new Uint32Array(out.buffer, out.byteOffset + outOffset * 4, count);
  for (let i = 0; i < count; i++) {
    const p = offset + 2 * i;
    bits[i] = (src[p]! << 16) | (src[p + 1]! << 24);
  }
}
