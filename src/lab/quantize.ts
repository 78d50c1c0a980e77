// Weight-only round-to-nearest quantization of a lab model: the "quantized endpoint" substitute of Model Equality
// Testing (Gao et al. 2024), served under the original's name. Symmetric (no zero point), one scale per output
// channel (per row of W in y = W x, as GPTQ / bitsandbytes / llama.cpp's row blocks do): a weight w of a channel
// whose largest magnitude is m becomes round(w / s) * s with s = m / L, L = 2^(bits-1) - 1 (127 or 7), |round| <= L.
// Matrices are quantized (token and position embeddings, attention and MLP weights, output head); biases and layer
// norm gains stay in their stored precision, as in those tools.
import type { TensorSpec } from './config.js';
import type { Model } from './model.js';

export type QuantBits = 8 | 4;

/** How a tensor's values group into output channels: by row of the stored matrix, or by column. */
function channelAxis(t: TensorSpec): 'row' | 'column' | undefined {
  if (t.shape.length !== 2) return undefined;
  // GPT-2 Conv1D weights are stored [in, out]: an output channel is a column. Embeddings ([vocab | ctx, d]) and the
  // untied head ([vocab, d], as a Linear) are per row: one token's or one position's vector, one logit's weights.
  return t.name.startsWith('h.') ? 'column' : 'row';
}

/** Quantize-dequantize one channel in place: symmetric round to nearest with its own absolute-max scale. */
function roundChannel(v: Float32Array, start: number, count: number, stride: number, levels: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) max = Math.max(max, Math.abs(v[start + i * stride]!));
  if (max === 0) return;
  const scale = max / levels;
  for (let i = 0; i < count; i++) {
    const at = start + i * stride;
    const q = Math.max(-levels, Math.min(levels, Math.round(v[at]! / scale)));
    v[at] = q * scale;
  }
}

/** A copy of the model with every weight matrix rounded to `bits` (symmetric, per output channel). */
export function quantizeModel(model: Model, bits: QuantBits): Model {
  const params = new Float32Array(model.params);
  const levels = 2 ** (bits - 1) - 1;
  for (const t of model.layout.tensors) {
    const axis = channelAxis(t);
    if (axis === undefined) continue;
    const [rows, cols] = [t.shape[0]!, t.shape[1]!];
    const v = params.subarray(t.offset, t.offset + t.size);
    if (axis === 'row') for (let r = 0; r < rows; r++) roundChannel(v, r * cols, cols, 1, levels);
    else for (let c = 0; c < cols; c++) roundChannel(v, c, rows, cols, levels);
  }
  return { layout: model.layout, params };
}

/** Relative L2 error of the quantized weights (over the tensors that were quantized), for the report. */
export function quantizationError(original: Model, quantized: Model): number {
  let num = 0;
  let den = 0;
  for (const t of original.layout.tensors) {
    if (channelAxis(t) === undefined) continue;
    for (let i = t.offset; i < t.offset + t.size; i++) {
      const a = original.params[i]!;
      const d = a - quantized.params[i]!;
      num += d * d;
      den += a * a;
    }
  }
  return den === 0 ? 0 : Math.sqrt(num / den);
}
