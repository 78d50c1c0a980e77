// Dense kernels over Float32Array for the lab transformer: each forward kernel has its hand-written backward beside
// it. Row-major [rows, cols] throughout; Conv1D weights are [in, out] as in GPT-2.

/** out[t, n] = b[n] + sum_k inp[t, k] * w[k, n] */
export function linearForward(
  out: Float32Array,
  inp: Float32Array,
  w: Float32Array,
  b: Float32Array | null,
  rows: number,
  inDim: number,
  outDim: number,
): void {
  for (let t = 0; t < rows; t++) {
    const o = t * outDim;
    if (b) for (let n = 0; n < outDim; n++) out[o + n] = b[n]!;
    else out.fill(0, o, o + outDim);
    const ii = t * inDim;
    for (let k = 0; k < inDim; k++) {
      const a = inp[ii + k]!;
      if (a === 0) continue;
      const wk = k * outDim;
      for (let n = 0; n < outDim; n++) out[o + n]! += a * w[wk + n]!;
    }
  }
}

/** Accumulates dW, db and (when dInp is given) overwrites dInp for out = inp W + b. */
export function linearBackward(
  dInp: Float32Array | null,
  dW: Float32Array,
  dB: Float32Array | null,
  dOut: Float32Array,
  inp: Float32Array,
  w: Float32Array,
  rows: number,
  inDim: number,
  outDim: number,
): void {
  for (let t = 0; t < rows; t++) {
    const o = t * outDim;
    const ii = t * inDim;
    if (dB) for (let n = 0; n < outDim; n++) dB[n]! += dOut[o + n]!;
    for (let k = 0; k < inDim; k++) {
      const a = inp[ii + k]!;
      const wk = k * outDim;
      let s = 0;
      for (let n = 0; n < outDim; n++) {
        const g = dOut[o + n]!;
        s += g * w[wk + n]!;
        dW[wk + n]! += a * g;
      }
      if (dInp) dInp[ii + k] = s;
    }
  }
}

/** Layer normalisation (Ba et al. 2016) over the last axis; keeps mean and 1/std for the backward pass. */
export function layerNormForward(
  out: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  inp: Float32Array,
  g: Float32Array,
  b: Float32Array,
  rows: number,
  d: number,
): void {
  const eps = 1e-5;
  for (let t = 0; t < rows; t++) {
    const o = t * d;
    let m = 0;
    for (let i = 0; i < d; i++) m += inp[o + i]!;
    m /= d;
    let v = 0;
    for (let i = 0; i < d; i++) {
      const x = inp[o + i]! - m;
      v += x * x;
    }
    const r = 1 / Math.sqrt(v / d + eps);
    mean[t] = m;
    rstd[t] = r;
    for (let i = 0; i < d; i++) out[o + i] = (inp[o + i]! - m) * r * g[i]! + b[i]!;
  }
}

/** Adds the input gradient into dInp (residual stream) and accumulates dg, db. */
export function layerNormBackward(
  dInp: Float32Array,
  dG: Float32Array,
  dB: Float32Array,
  dOut: Float32Array,
  inp: Float32Array,
  g: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  rows: number,
  d: number,
): void {
  for (let t = 0; t < rows; t++) {
    const o = t * d;
    const m = mean[t]!;
    const r = rstd[t]!;
    let sumD = 0;
    let sumDX = 0;
    for (let i = 0; i < d; i++) {
      const xhat = (inp[o + i]! - m) * r;
      const dy = dOut[o + i]!;
      const dxhat = dy * g[i]!;
      dG[i]! += dy * xhat;
      dB[i]! += dy;
      sumD += dxhat;
      sumDX += dxhat * xhat;
    }
    sumD /= d;
    sumDX /= d;
    for (let i = 0; i < d; i++) {
      const xhat = (inp[o + i]! - m) * r;
      const dxhat = dOut[o + i]! * g[i]!;
      dInp[o + i]! += r * (dxhat - sumD - xhat * sumDX);
    }
  }
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation (Hendrycks & Gimpel 2016), as GPT-2 uses. */
export function geluForward(out: Float32Array, inp: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = inp[i]!;
    out[i] = 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
  }
}

/** Overwrites dInp with dOut * gelu'(inp). */
export function geluBackward(dInp: Float32Array, dOut: Float32Array, inp: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = inp[i]!;
    const u = GELU_C * (x + 0.044715 * x * x * x);
    const th = Math.tanh(u);
    const du = GELU_C * (1 + 3 * 0.044715 * x * x);
    dInp[i] = dOut[i]! * (0.5 * (1 + th) + 0.5 * x * (1 - th * th) * du);
  }
}

/**
 * Causal multi-head self-attention (Vaswani et al. 2017) on packed qkv [T, 3d]; writes out [T, d] and keeps the
 * attention probabilities probs [H, T, T] for the backward pass.
 */
export function attentionForward(
  out: Float32Array,
  probs: Float32Array,
  qkv: Float32Array,
  T: number,
  d: number,
  heads: number,
): void {
  const hd = d / heads;
  const scale = 1 / Math.sqrt(hd);
  const d3 = 3 * d;
  out.fill(0, 0, T * d);
  for (let h = 0; h < heads; h++) {
    const qo = h * hd;
    const ko = d + h * hd;
    const vo = 2 * d + h * hd;
    for (let t = 0; t < T; t++) {
      const p = (h * T + t) * T;
      let max = -Infinity;
      for (let s = 0; s <= t; s++) {
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += qkv[t * d3 + qo + i]! * qkv[s * d3 + ko + i]!;
        dot *= scale;
        probs[p + s] = dot;
        if (dot > max) max = dot;
      }
      let sum = 0;
      for (let s = 0; s <= t; s++) {
        const e = Math.exp(probs[p + s]! - max);
        probs[p + s] = e;
        sum += e;
      }
      for (let s = 0; s <= t; s++) probs[p + s]! /= sum;
      for (let s = t + 1; s < T; s++) probs[p + s] = 0;
      const oo = t * d + qo;
      for (let s = 0; s <= t; s++) {
        const a = probs[p + s]!;
        const vs = s * d3 + vo;
        for (let i = 0; i < hd; i++) out[oo + i]! += a * qkv[vs + i]!;
      }
    }
  }
}

/** Overwrites dQkv [T, 3d] from dOut [T, d]; dScratch holds one row of T. */
export function attentionBackward(
  dQkv: Float32Array,
  dOut: Float32Array,
  probs: Float32Array,
  qkv: Float32Array,
  T: number,
  d: number,
  heads: number,
  dScratch: Float32Array,
): void {
  const hd = d / heads;
  const scale = 1 / Math.sqrt(hd);
  const d3 = 3 * d;
  dQkv.fill(0, 0, T * d3);
  for (let h = 0; h < heads; h++) {
    const qo = h * hd;
    const ko = d + h * hd;
    const vo = 2 * d + h * hd;
    for (let t = 0; t < T; t++) {
      const p = (h * T + t) * T;
      const oo = t * d + qo;
      // dP[s] = dOut_t . v_s ; dV_s += P[t,s] dOut_t
      let dot = 0;
      for (let s = 0; s <= t; s++) {
        const a = probs[p + s]!;
        const vs = s * d3 + vo;
        let g = 0;
        for (let i = 0; i < hd; i++) {
          const go = dOut[oo + i]!;
          g += go * qkv[vs + i]!;
          dQkv[vs + i]! += a * go;
        }
        dScratch[s] = g;
        dot += a * g;
      }
      // softmax backward: dS = P * (dP - sum P dP), then through the scaled dot product
      for (let s = 0; s <= t; s++) {
        const ds = probs[p + s]! * (dScratch[s]! - dot) * scale;
        if (ds === 0) continue;
        const qs = t * d3 + qo;
        const ks = s * d3 + ko;
        for (let i = 0; i < hd; i++) {
          dQkv[qs + i]! += ds * qkv[ks + i]!;
          dQkv[ks + i]! += ds * qkv[qs + i]!;
        }
      }
    }
  }
}
