import { outputBuffer } from './buffers.js';
import type { FeatureMatrix, FrontEndDefinition } from './types.js';
import { waveformFrontEnd, type WaveformConfig } from './waveform-front-end.js';

/** Config of the `raw` front end. */
export type RawConfig = WaveformConfig;

/**
 * Copies audio into a waveform feed unchanged.
 * @param audio - Samples in [-1, 1].
 * @param out - Optional buffer of at least `audio.length` values.
 * @returns The copy, as a `[samples, 1]` matrix.
 */
function copyWaveform(audio: Float32Array, out?: Float32Array): FeatureMatrix {
  const data = outputBuffer(out, audio.length, 'raw');
  data.set(audio);
  return { data, frames: audio.length, dim: 1 };
}

/** `raw`: the samples as they are (models trained on unnormalised audio, such as asrq's bundled model). */
export const rawFrontEnd: FrontEndDefinition<RawConfig> = waveformFrontEnd(
  'raw',
  'Samples in [-1, 1] unchanged (a waveform input, [batch, samples]).',
  copyWaveform,
);
