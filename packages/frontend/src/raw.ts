import { outputBuffer } from './buffers.js';
import { resolveWithSchema, type ConfigSchema } from './config.js';
import type { FeatureMatrix, FrontEnd, FrontEndDefinition } from './types.js';

/** Config of the `raw` front end. */
export interface RawConfig {
  /** Sample rate the model expects, in Hz. */
  sampleRate: number;
}

const schema: ConfigSchema<RawConfig> = { sampleRate: { type: 'number', integer: true, min: 1 } };

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
export const rawFrontEnd: FrontEndDefinition<RawConfig> = {
  name: 'raw',
  description: 'Samples in [-1, 1] unchanged (a waveform input, [batch, samples]).',
  kind: 'waveform',
  defaults: { sampleRate: 16000 },
  resolveConfig(partial, source) {
    return resolveWithSchema('raw', schema, this.defaults, partial, source);
  },
  create(config): FrontEnd<RawConfig> {
    return {
      name: 'raw',
      kind: 'waveform',
      config: { ...config },
      sampleRate: config.sampleRate,
      dim: 1,
      hopSamples: 1,
      minSamples: 1,
      frameCount: (samples) => samples,
      compute: copyWaveform,
    };
  },
};
