/** The constant NeMo (and sherpa-onnx) add to the standard deviation: `CONSTANT = 1e-5`. */
export const NEMO_STD_GUARD = 1e-5;

/**
 * Per-feature (column-wise) mean and variance normalisation of a `[frames, dim]` matrix in place:
 * x = (x - mean) / (std + 1e-5), sums in double.
 * - `unbiased: true` is NeMo's `normalize_batch(..., 'per_feature')`: std with n - 1, and 0 when
 *   there is a single frame (NeMo turns the NaN into 0).
 * - `unbiased: false` is sherpa-onnx's `NemoNormalizePerFeature`: population variance
 *   E[x^2] - mean^2 clamped at 0.
 * @param data - Row-major features; changed in place.
 * @param frames - Rows.
 * @param dim - Columns.
 * @param unbiased - Which standard deviation (see above).
 * @example
 * ```ts
 * normalizePerFeature(features.data, features.frames, features.dim, true);
 * ```
 */
export function normalizePerFeature(data: Float32Array, frames: number, dim: number, unbiased: boolean): void {
  if (frames === 0) return;
  for (let d = 0; d < dim; d++) {
    let sum = 0;
    let squares = 0;
    for (let t = 0; t < frames; t++) {
      const v = data[t * dim + d]!;
      sum += v;
      squares += v * v;
    }
    const mean = sum / frames;
    let std: number;
    if (unbiased) {
      let dev = 0;
      for (let t = 0; t < frames; t++) {
        const v = data[t * dim + d]! - mean;
        dev += v * v;
      }
      std = frames > 1 ? Math.sqrt(dev / (frames - 1)) : 0;
    } else {
      std = Math.sqrt(Math.max(0, squares / frames - mean * mean));
    }
    const scale = 1 / (std + NEMO_STD_GUARD);
    for (let t = 0; t < frames; t++) data[t * dim + d] = (data[t * dim + d]! - mean) * scale;
  }
}

/**
 * NeMo's `all_features` normalisation in place: one mean and one unbiased std over every value,
 * x = (x - mean) / (std + 1e-5).
 * @param data - Features; changed in place.
 * @param count - Number of values to use from the start of `data`.
 */
export function normalizeAllFeatures(data: Float32Array, count: number): void {
  if (count === 0) return;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += data[i]!;
  const mean = sum / count;
  let dev = 0;
  for (let i = 0; i < count; i++) dev += (data[i]! - mean) ** 2;
  const std = count > 1 ? Math.sqrt(dev / (count - 1)) : 0;
  const scale = 1 / (std + NEMO_STD_GUARD);
  for (let i = 0; i < count; i++) data[i] = (data[i]! - mean) * scale;
}

/**
 * A deterministic standard-normal generator (Box-Muller over a seeded uniform source), for dither.
 * @param uniform - Uniform [0, 1) source, e.g. `seededRandom(0)` from @asrq/core.
 * @returns A function giving one N(0, 1) sample per call.
 */
export function gaussianSource(uniform: () => number): () => number {
  return () => {
    const u = Math.max(uniform(), Number.MIN_VALUE);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
