import { outputBuffer } from './buffers.js';
import type { FeatureMatrix } from './types.js';

/**
 * Frames that low-frame-rate stacking gives for `frames` input frames: one output frame every
 * `shift` input frames, the last one completed with copies of the last input frame, so
 * `ceil(frames / shift)`.
 * @param frames - Input frames.
 * @param shift - Input frames between output frames (FunASR's `lfr_n`).
 * @returns Output frames (0 for no input).
 * @example
 * ```ts
 * lfrFrameCount(98, 6); // 17
 * ```
 */
export function lfrFrameCount(frames: number, shift: number): number {
  return frames <= 0 ? 0 : Math.ceil(frames / shift);
}

/**
 * Low-frame-rate (LFR) stacking as FunASR's `apply_lfr` computes it for its WavFrontend
 * (SenseVoice, Paraformer), and as sherpa-onnx does since its LFR boundary fix: the first input
 * frame is repeated `(size - 1) / 2` times in front, then output frame i is the concatenation of
 * the `size` frames starting at `i * shift` of that padded sequence, frames past the end being
 * copies of the last one. The output has `ceil(frames / shift)` frames of `dim * size` values.
 * @param input - Row-major `[frames, dim]` features.
 * @param size - Frames stacked per output frame (FunASR's `lfr_m`, 7 for SenseVoice).
 * @param shift - Input frames between output frames (`lfr_n`, 6 for SenseVoice).
 * @param out - Optional output buffer of at least `lfrFrameCount(frames, shift) * dim * size` values.
 * @returns The stacked features.
 * @throws AsrqError `FRONTEND_OUT_TOO_SMALL` when `out` is too short.
 * @example
 * ```ts
 * const stacked = stackLowFrameRate(fbank.compute(audio), 7, 6); // [ceil(T / 6), 560]
 * ```
 */
export function stackLowFrameRate(
  input: FeatureMatrix,
  size: number,
  shift: number,
  out?: Float32Array,
): FeatureMatrix {
  const { frames, dim } = input;
  const outFrames = lfrFrameCount(frames, shift);
  const outDim = dim * size;
  const data = outputBuffer(out, outFrames * outDim, 'lfr');
  const left = Math.floor((size - 1) / 2);
  for (let i = 0; i < outFrames; i++) {
    for (let j = 0; j < size; j++) {
      // Index into the input of position i * shift + j of the left-padded sequence, clamped at both ends.
      const source = Math.min(frames - 1, Math.max(0, i * shift + j - left));
      data.set(input.data.subarray(source * dim, (source + 1) * dim), i * outDim + j * dim);
    }
  }
  return { data, frames: outFrames, dim: outDim };
}

/**
 * Global CMVN with the statistics an export ships (FunASR's `am.mvn`, written by sherpa-onnx
 * into the metadata as `neg_mean` and `inv_stddev`): x = (x + negMean) * invStddev per column,
 * in place, in float32 as sherpa-onnx computes it.
 * @param features - Row-major features; changed in place.
 * @param negMean - Minus the mean of each column.
 * @param invStddev - One over the standard deviation of each column.
 * @example
 * ```ts
 * applyGlobalCmvn(stacked, negMean, invStddev);
 * ```
 */
export function applyGlobalCmvn(
  features: FeatureMatrix,
  negMean: ArrayLike<number>,
  invStddev: ArrayLike<number>,
): void {
  const { data, frames, dim } = features;
  for (let t = 0; t < frames; t++) {
    const row = t * dim;
    for (let d = 0; d < dim; d++) data[row + d] = Math.fround(data[row + d]! + negMean[d]!) * invStddev[d]!;
  }
}
