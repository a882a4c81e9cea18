import { outputBuffer } from './buffers.js';
import type { FrontEndDefinition } from './types.js';
import { waveformFrontEnd, type WaveformConfig } from './waveform-front-end.js';

/** Config of the `hf-normalize` front end (`sampleRate`: `sampling_rate` of preprocessor_config.json). */
export type HfNormalizeConfig = WaveformConfig;

/** The variance guard transformers' Wav2Vec2FeatureExtractor adds: (x - mean) / sqrt(var + 1e-7). */
export const HF_NORMALIZE_EPSILON = 1e-7;

/**
 * Zero-mean, unit-variance normalisation of `length` values starting at `offset`, written to
 * `out` at the same positions: (x - mean) / sqrt(var + 1e-7), population variance, sums in double.
 */
function normalizeRange(input: Float32Array, out: Float32Array, offset: number, length: number): void {
  if (length === 0) return;
  let sum = 0;
  for (let i = offset; i < offset + length; i++) sum += input[i]!;
  const mean = sum / length;
  let squares = 0;
  for (let i = offset; i < offset + length; i++) {
    const d = input[i]! - mean;
    squares += d * d;
  }
  const scale = 1 / Math.sqrt(squares / length + HF_NORMALIZE_EPSILON);
  for (let i = offset; i < offset + length; i++) out[i] = (input[i]! - mean) * scale;
}

/**
 * Normalises one utterance as transformers' `Wav2Vec2FeatureExtractor` does with
 * `do_normalize: true`: (x - mean) / sqrt(var + 1e-7) over all its samples.
 * @param audio - Samples.
 * @param out - Optional output buffer (may be `audio` itself), at least `audio.length` long.
 * @returns The normalised samples.
 * @example
 * ```ts
 * const normalised = zeroMeanUnitVariance(samples);
 * ```
 */
export function zeroMeanUnitVariance(audio: Float32Array, out?: Float32Array): Float32Array {
  const data = outputBuffer(out, audio.length, 'hf-normalize');
  normalizeRange(audio, data, 0, audio.length);
  return data;
}

/**
 * Normalises each row of a zero-padded batch `[batch, width]` in place over its own valid length
 * only, and sets the padding after it to `paddingValue`, as transformers does when it has an
 * attention mask. Rows must already be left-aligned (valid samples first).
 * @param batch - Row-major `[lengths.length, width]` samples; changed in place.
 * @param width - Row length (the longest utterance).
 * @param lengths - Valid samples in each row.
 * @param paddingValue - Value written after each row's valid samples (transformers' `padding_value`, 0).
 * @returns `batch`.
 * @example
 * ```ts
 * normalizeBatchRows(feed, 48000, [48000, 31000]);
 * ```
 */
export function normalizeBatchRows(
  batch: Float32Array,
  width: number,
  lengths: ArrayLike<number>,
  paddingValue = 0,
): Float32Array {
  for (let row = 0; row < lengths.length; row++) {
    const length = Math.min(lengths[row]!, width);
    const offset = row * width;
    normalizeRange(batch, batch, offset, length);
    batch.fill(paddingValue, offset + length, offset + width);
  }
  return batch;
}

/** `hf-normalize`: transformers' Wav2Vec2FeatureExtractor with do_normalize (wav2vec2, HuBERT, WavLM, data2vec). */
export const hfNormalizeFrontEnd: FrontEndDefinition<HfNormalizeConfig> = waveformFrontEnd(
  'hf-normalize',
  "Per-utterance (x - mean) / sqrt(var + 1e-7), as transformers' Wav2Vec2FeatureExtractor with do_normalize (a waveform input).",
  (audio, out) => ({ data: zeroMeanUnitVariance(audio, out), frames: audio.length, dim: 1 }),
);
