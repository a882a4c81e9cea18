/**
 * The arithmetic of int8 quantization, free of any ONNX or Node API:
 * q = clamp(round(x / scale) + zeroPoint), x ≈ (q - zeroPoint) * scale.
 */

/** Symmetric int8 weights: zero point 0, range [-127, 127] (−128 unused so the range is symmetric). */
export interface SymmetricWeights {
  /** Quantized values, same layout as the input. */
  values: Int8Array;
  /** One scale per channel along `axis` (length 1 when per-tensor). */
  scales: Float32Array;
}

// A tensor of zeros still needs a usable (non-zero) scale.
const tinyScale = 1e-12;

/**
 * Quantizes float weights to symmetric int8, per tensor or per channel along `axis`.
 *
 * @param data - Row-major float values.
 * @param dims - Shape of `data`.
 * @param axis - Channel axis for per-channel scales, or undefined for a single scale.
 * @returns The int8 values and scales (scale = max|w| / 127 of each channel).
 * @example
 * ```ts
 * const { values, scales } = quantizeSymmetricInt8(w, [256, 1024], 1); // MatMul B: one scale per output column
 * ```
 */
export function quantizeSymmetricInt8(data: Float32Array, dims: readonly number[], axis?: number): SymmetricWeights {
  const channels = axis === undefined ? 1 : (dims[axis] ?? 1);
  // Elements between consecutive channel indices (inner) and how often the channel axis repeats (outer).
  const inner = axis === undefined ? data.length : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const maxAbs = new Float32Array(channels);
  const channelOf = (i: number): number => (axis === undefined ? 0 : Math.floor(i / inner) % channels);
  for (let i = 0; i < data.length; i++) {
    const c = channelOf(i);
    const v = Math.abs(data[i]!);
    if (v > maxAbs[c]!) maxAbs[c] = v;
  }
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) scales[c] = Math.max(maxAbs[c]! / 127, tinyScale);
  const values = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const q = Math.round(data[i]! / scales[channelOf(i)]!);
    values[i] = Math.min(127, Math.max(-127, q));
  }
  return { values, scales };
}

/** Affine uint8 parameters of an activation range. */
export interface Uint8Params {
  scale: number;
  zeroPoint: number;
}

/**
 * Affine uint8 parameters covering [min, max]. The range is widened to include 0 so that zero
 * (padding, ReLU output) is exactly representable, as ONNX QuantizeLinear requires for correctness
 * of zero padding.
 *
 * @param min - Smallest value to represent.
 * @param max - Largest value to represent.
 * @returns scale and zero point (0..255).
 * @example
 * ```ts
 * uint8Params(-1, 3); // { scale: 4/255, zeroPoint: 64 }
 * ```
 */
export function uint8Params(min: number, max: number): Uint8Params {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  const scale = Math.max((hi - lo) / 255, tinyScale);
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-lo / scale)));
  return { scale, zeroPoint };
}

/**
 * ONNX QuantizeLinear to uint8 (round half to even, saturate).
 * @param x - Values.
 * @param p - Scale and zero point.
 * @returns Quantized values.
 */
export function quantizeUint8(x: Float32Array, p: Uint8Params): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const q = roundHalfEven(x[i]! / p.scale) + p.zeroPoint;
    out[i] = Math.min(255, Math.max(0, q));
  }
  return out;
}

/**
 * ONNX DequantizeLinear from uint8.
 * @param q - Quantized values.
 * @param p - Scale and zero point.
 * @returns Reconstructed floats.
 */
export function dequantizeUint8(q: Uint8Array, p: Uint8Params): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = (q[i]! - p.zeroPoint) * p.scale;
  return out;
}

/**
 * Rounds half to even, as ONNX QuantizeLinear does.
 * @param v - Value.
 * @returns Nearest integer, ties to even.
 */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Signal-to-quantization-noise ratio in dB: 20·log10(‖ref‖ / ‖ref − test‖), the metric of
 * onnxruntime's qdq_loss_debug. Infinity when identical.
 *
 * @param reference - Float model output.
 * @param test - Quantized model output, same length.
 * @returns SQNR in dB (higher is better; 30 dB ≈ 3% RMS error).
 * @example
 * ```ts
 * sqnr(Float32Array.of(1, 2), Float32Array.of(1, 2.01)); // ≈ 47 dB
 * ```
 */
export function sqnr(reference: Float32Array, test: Float32Array): number {
  let signal = 0;
  let noise = 0;
  const n = Math.min(reference.length, test.length);
  for (let i = 0; i < n; i++) {
    const r = reference[i]!;
    const d = r - test[i]!;
    signal += r * r;
    noise += d * d;
  }
  if (noise === 0) return Number.POSITIVE_INFINITY;
  return 10 * Math.log10(signal / noise);
}
