import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, resolveWithSchema, type ConfigSchema } from './config.js';
import type { FeatureMatrix, FrontEnd, FrontEndDefinition } from './types.js';

/** Config of the waveform front ends (`raw`, `hf-normalize`). */
export interface WaveformConfig {
  /** Sample rate the model expects, in Hz. */
  sampleRate: number;
}

const schema: ConfigSchema<WaveformConfig> = {
  sampleRate: { type: 'number', integer: true, min: MIN_SAMPLE_RATE, max: MAX_SAMPLE_RATE },
};

/**
 * Defines a front end whose output feeds a `[batch, samples]` input: one value per sample, so
 * only `compute` differs between them.
 * @param name - Registry name.
 * @param description - One line saying what it computes.
 * @param compute - Samples in, the same number of values out (`[samples, 1]`).
 * @returns The definition to register.
 */
export function waveformFrontEnd(
  name: string,
  description: string,
  compute: (audio: Float32Array, out?: Float32Array) => FeatureMatrix,
): FrontEndDefinition<WaveformConfig> {
  return {
    name,
    description,
    kind: 'waveform',
    defaults: { sampleRate: 16000 },
    resolveConfig(partial, source) {
      return resolveWithSchema(name, schema, this.defaults, partial, source);
    },
    create(config): FrontEnd<WaveformConfig> {
      return {
        name,
        kind: 'waveform',
        config: { ...config },
        sampleRate: config.sampleRate,
        dim: 1,
        hopSamples: 1,
        minSamples: 1,
        frameCount: (samples) => samples,
        compute,
      };
    },
  };
}
