// Dequantization of ggml block formats to float, following the block layouts of llama.cpp's ggml-common.h and the
// reference dequantize_row_* of ggml-quants.c (Gerganov et al.; k-quants: llama.cpp PR #1684, Kawrakow 2023).
// Each function decodes `blocks` consecutive blocks starting at byte `src[p]` into `out[o...]`.
import { f16Table } from './half.js';

export type Dequantize = (src: Uint8Array, p: number, blocks: number, out: Float32Array, o: number) => void;

const QK_K = 256;

// Q4_0: { f16 d; u8 qs[16] } per 32 values; x = (nibble - 8) * d, low nibbles first then high nibbles.
export const dequantizeQ4_0: Dequantize = (src, p, blocks, out, o) => {
  const h = f16Table();
  for (let b = 0; b < blocks; b++, p += 18, o += 32) {
    const d = h[src[p]! | (src[p + 1]! << 8)]!;
    for (let j = 0; j < 16; j++) {
      const q = src[p + 2 + j]!;
      out[o + j] = ((q & 0x0f) - 8) * d;
      out[o + j + 16] = ((q >> 4) - 8) * d;
    }
  }
};

// Q4_1: { f16 d; f16 m; u8 qs[16] } per 32 values; x = nibble * d + m.
export const dequantizeQ4_1: Dequantize = (src, p, blocks, out, o) => {
  const h = f16Table();
  for (let b = 0; b < blocks; b++, p += 20, o += 32) {
    const d = h[src[p]! | (src[p + 1]! << 8)]!;
    const m = h[src[p + 2]! | (src[p + 3]! << 8)]!;
    for (let j = 0; j < 16; j++) {
      const q = src[p + 4 + j]!;
      out[o + j] = (q & 0x0f) * d + m;
      out[o + j + 16] = (q >> 4) * d + m;
    }
  }
};

// Q5_0: { f16 d; u8 qh[4]; u8 qs[16] } per 32 values; the fifth bit of value j is bit j of qh; x = (q - 16) * d.
export const dequantizeQ5_0: Dequantize = (src, p, blocks, out, o) => {
  const h = f16Table();
  for (let b = 0; b < blocks; b++, p += 22, o += 32) {
    const d = h[src[p]! | (src[p + 1]! << 8)]!;
    const qh = (src[p + 2]! | (src[p + 3]! << 8) | (src[p + 4]! << 16) | (src[p + 5]! << 24)) >>> 0;
    for (let j = 0; j < 16; j++) {
      const q = src[p + 6 + j]!;
      const hi0 = ((qh >>> j) << 4) & 0x10;
      const hi1 = (qh >>> (j + 12)) & 0x10;
      out[o + j] = (((q & 0x0f) | hi0) - 16) * d;
      out[o + j + 16] = (((q >> 4) | hi1) - 16) * d;
    }
  }
};

// Q5_1: { f16 d; f16 m; u8 qh[4]; u8 qs[16] } per 32 values; x = q * d + m.
export const dequantizeQ5_1: Dequantize = (src, p, blocks, out, o) => {
  const h = f16Table();
  for (let b = 0; b < blocks; b++, p += 24, o += 32) {
    const d = h[src[p]! | (src[p + 1]! << 8)]!;
    const m = h[src[p + 2]! | (src[p + 3]! << 8)]!;
    const qh = (src[p + 4]! | (src[p + 5]! << 8) | (src[p + 6]! << 16) | (src[p + 7]! << 24)) >>> 0;
    for (let j = 0; j < 16; j++) {
      const q = src[p + 8 + j]!;
      const hi0 = ((qh >>> j) << 4) & 0x10;
      const hi1 = (qh >>> (j + 12)) & 0x10;
      out[o + j] = ((q & 0x0f) | hi0) * d + m;
      out[o + j + 16] = ((q >> 4) | hi1) * d + m;
    }
  }
};

// Q8_0: { f16 d; i8 qs[32] } per 32 values; x = q * d.
export const dequantizeQ8_0: Dequantize = (src, p, blocks, out, o) => {
  const h = f16Table();
  for (let b = 0; b < blocks; b++, p += 34, o += 32) {
    const d = h[src[p]! | (src[p + 1]! << 8)]!;
    for (let j = 0; j < 32; j++) out[o + j] = ((src[p + 2 + j]! << 24) >> 24) * d;
  }
};

/** The 6-bit scale and min of sub-block j from the 12 packed bytes of Q4_K / Q5_K (get_scale_min_k4). */
function scaleMinK4(src: Uint8Array, s: number, j: number): [number, number] {
  if (j < 4) return [src[s + j]! & 63, src[s + j + 4]! & 63];
  return [(src[s + j + 4]! & 0x0f) | ((src[s + j - 4]! >> 6) << 4), (src[s + j + 4]! >> 4) | ((src[s + j]! >> 6) << 4)];
}

// Q4_K: { f16 d; f16 dmin; u8 scales[12]; u8 qs[128] } per 256 values in 8 sub-blocks of 32: x = d*sc*q - dmin*m.
export const dequantizeQ4_K: Dequantize = (src, p, blocks, out, o) => {
  const h = f16Table();
  for (let b = 0; b < blocks; b++, p += 144, o += QK_K) {
    const d = h[src[p]! | (src[p + 1]! << 8)]!;
    const dmin = h[src[p + 2]! | (src[p + 3]! << 8)]!;
    const s = p + 4;
    let q = p + 16;
    let y = o;
    for (let is = 0; is < 8; is += 2, q += 32) {
      const [sc1, m1] = scaleMinK4(src, s, is);
      const [sc2, m2] = scaleMinK4(src, s, is + 1);
      const d1 = d * sc1,
        mm1 = dmin * m1,
        d2 = d * sc2,
        mm2 = dmin * m2;
      for (let l = 0; l < 32; l++) out[y++] = d1 * (src[q + l]! & 0x0f) - mm1;
      for (let l = 0; l < 32; l++) out[y++] = d2 * (src[q + l]! >> 4) - mm2;
    }
  }
};

// Q5_K: { f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128] } per 256 values; qh holds the fifth bits, two
// bit planes per 64 values.
export const dequantizeQ5_K: Dequantize = (src, p, blocks, out, o) => {
  const h = f16Table();
  for (let b = 0; b < blocks; b++, p += 176, o += QK_K) {
    const d = h[src[p]! | (src[p + 1]! << 8)]!;
    const dmin = h[src[p + 2]! | (src[p + 3]! << 8)]!;
    const s = p + 4;
    const qh = p + 16;
    let ql = p + 48;
    let y = o;
    let u1 = 1,
      u2 = 2;
    for (let is = 0; is < 8; is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
      const [sc1, m1] = scaleMinK4(src, s, is);
      const [sc2, m2] = scaleMinK4(src, s, is + 1);
      const d1 = d * sc1,
        mm1 = dmin * m1,
        d2 = d * sc2,
        mm2 = dmin * m2;
      for (let l = 0; l < 32; l++) out[y++] = d1 * ((src[ql + l]! & 0x0f) + (src[qh + l]! & u1 ? 16 : 0)) - mm1;
      for (let l = 0; l < 32; l++) out[y++] = d2 * ((src[ql + l]! >> 4) + (src[qh + l]! & u2 ? 16 : 0)) - mm2;
    }
  }
};

// Q6_K: { u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d } per 256 values in 16 sub-blocks of 16; x = d*sc*(q - 32).
export const dequantizeQ6_K: Dequantize = (src, p, blocks, out, o) => {
  const h = f16Table();
  for (let b = 0; b < blocks; b++, p += 210, o += QK_K) {
    const d = h[src[p + 208]! | (src[p + 209]! << 8)]!;
    let ql = p;
    let qh = p + 128;
    let sc = p + 192;
    for (let n = 0; n < QK_K; n += 128, ql += 64, qh += 32, sc += 8) {
      const y = o + n;
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const hb = src[qh + l]!;
        const q1 = ((src[ql + l]! & 0x0f) | ((hb & 3) << 4)) - 32;
        const q2 = ((src[ql + l + 32]! & 0x0f) | (((hb >> 2) & 3) << 4)) - 32;
        const q3 = ((src[ql + l]! >> 4) | (((hb >> 4) & 3) << 4)) - 32;
        const q4 = ((src[ql + l + 32]! >> 4) | (((hb >> 6) & 3) << 4)) - 32;
        out[y + l] = d * ((src[sc + is]! << 24) >> 24) * q1;
        out[y + l + 32] = d * ((src[sc + is + 2]! << 24) >> 24) * q2;
        out[y + l + 64] = d * ((src[sc + is + 4]! << 24) >> 24) * q3;
        out[y + l + 96] = d * ((src[sc + is + 6]! << 24) >> 24) * q4;
      }
    }
  }
};
