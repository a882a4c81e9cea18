import {
  checkFeatureRate,
  MAX_FEATURE_DIM,
  MAX_SAMPLE_RATE,
  MIN_SAMPLE_RATE,
  resolveWithSchema,
  type ConfigSchema,
} from './config.js';
import { kaldiFbankCompute, kaldiFbankGeometry } from './kaldi-fbank-compute.js';
import type { FrontEnd, FrontEndDefinition } from './types.js';
import type { KaldiFbankConfig } from './kaldi-fbank-config.js';
import { KALDI_WINDOW_TYPES } from './windows.js';

/** How each `kaldi-fbank` option is checked (front ends built on it, such as `lfr-fbank`, extend it). */
export const kaldiFbankSchema: ConfigSchema<KaldiFbankConfig> = {
  sampleRate: { type: 'number', integer: true, min: MIN_SAMPLE_RATE, max: MAX_SAMPLE_RATE },
  frameShiftMs: { type: 'number', min: 0, minExclusive: true, max: 1000 },
  frameLengthMs: { type: 'number', min: 0, minExclusive: true, max: 1000 },
  dither: { type: 'number', min: 0, max: 1e5 },
  preemphasisCoefficient: { type: 'number', min: 0, max: 1 },
  removeDcOffset: { type: 'boolean' },
  windowType: { type: 'enum', values: KALDI_WINDOW_TYPES },
  roundToPowerOfTwo: { type: 'boolean' },
  blackmanCoeff: { type: 'number', min: -1, max: 1 },
  snipEdges: { type: 'boolean' },
  numMelBins: { type: 'number', integer: true, min: 1, max: MAX_FEATURE_DIM },
  lowFreq: { type: 'number', min: 0, max: MAX_SAMPLE_RATE / 2 },
  highFreq: { type: 'number', min: -MAX_SAMPLE_RATE / 2, max: MAX_SAMPLE_RATE / 2 },
  useEnergy: { type: 'boolean' },
  rawEnergy: { type: 'boolean' },
  energyFloor: { type: 'number', min: 0, max: 1e30 },
  useLogFbank: { type: 'boolean' },
  usePower: { type: 'boolean' },
  sampleScale: { type: 'number', min: 0, minExclusive: true, max: 1e6 },
  isLibrosa: { type: 'boolean' },
  normalize: { type: 'enum', values: ['none', 'per_feature'] },
  padValue: { type: 'number', min: -1e6, max: 1e6 },
};

function createKaldiFbank(config: KaldiFbankConfig): FrontEnd<KaldiFbankConfig> {
  const g = kaldiFbankGeometry(config);
  const { shift, length } = g;
  checkFeatureRate('kaldi-fbank', config.numMelBins + (config.useEnergy ? 1 : 0), shift, config.sampleRate);
  const frameCount = (samples: number): number => {
    if (config.snipEdges) return samples < length ? 0 : 1 + Math.floor((samples - length) / shift);
    return Math.floor((samples + Math.floor(shift / 2)) / shift);
  };
  return {
    name: 'kaldi-fbank',
    kind: 'features',
    config: { ...config },
    sampleRate: config.sampleRate,
    dim: config.numMelBins + (config.useEnergy ? 1 : 0),
    hopSamples: shift,
    minSamples: config.snipEdges ? length : shift - Math.floor(shift / 2),
    padValue: config.padValue,
    frameCount,
    compute: kaldiFbankCompute(config, g, frameCount),
  };
}

/** `kaldi-fbank`: Kaldi / kaldi-native-fbank / torchaudio.compliance.kaldi.fbank log-mel filterbanks. */
export const kaldiFbankFrontEnd: FrontEndDefinition<KaldiFbankConfig> = {
  name: 'kaldi-fbank',
  description:
    'Kaldi log-mel filterbank (kaldi-native-fbank, torchaudio.compliance.kaldi.fbank); defaults equal torchaudio with num_mel_bins=80, dither=0.',
  kind: 'features',
  defaults: {
    sampleRate: 16000,
    frameShiftMs: 10,
    frameLengthMs: 25,
    dither: 0,
    preemphasisCoefficient: 0.97,
    removeDcOffset: true,
    windowType: 'povey',
    roundToPowerOfTwo: true,
    blackmanCoeff: 0.42,
    snipEdges: true,
    numMelBins: 80,
    lowFreq: 20,
    highFreq: 0,
    useEnergy: false,
    rawEnergy: true,
    energyFloor: 1,
    useLogFbank: true,
    usePower: true,
    sampleScale: 1,
    isLibrosa: false,
    normalize: 'none',
    padValue: 0,
  },
  resolveConfig(partial, source) {
    return resolveWithSchema('kaldi-fbank', kaldiFbankSchema, this.defaults, partial, source);
  },
  create: createKaldiFbank,
};
