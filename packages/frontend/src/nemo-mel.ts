import {
  MAX_FEATURE_DIM,
  MAX_FFT_SIZE,
  MAX_SAMPLE_RATE,
  MIN_SAMPLE_RATE,
  resolveWithSchema,
  type ConfigSchema,
} from './config.js';
import { nemoMelCompute, nemoMelFrameCounts, nemoMelGeometry } from './nemo-mel-compute.js';
import type { FrontEnd, FrontEndDefinition } from './types.js';
import type { NemoMelConfig } from './nemo-mel-config.js';
import { NEMO_WINDOW_TYPES } from './windows.js';

const schema: ConfigSchema<NemoMelConfig> = {
  sampleRate: { type: 'number', integer: true, min: MIN_SAMPLE_RATE, max: MAX_SAMPLE_RATE },
  windowSizeSec: { type: 'number', min: 0, minExclusive: true, max: 1 },
  windowStrideSec: { type: 'number', min: 0, minExclusive: true, max: 1 },
  nWindowSize: { type: 'number', integer: true, min: 1, max: MAX_FFT_SIZE, nullable: true },
  nWindowStride: { type: 'number', integer: true, min: 1, max: MAX_FFT_SIZE, nullable: true },
  nFft: { type: 'number', integer: true, min: 2, max: MAX_FFT_SIZE, nullable: true },
  window: { type: 'enum', values: NEMO_WINDOW_TYPES },
  normalize: { type: 'enum', values: ['per_feature', 'all_features', 'none'] },
  features: { type: 'number', integer: true, min: 1, max: MAX_FEATURE_DIM },
  preemph: { type: 'number', min: 0, max: 1, nullable: true },
  log: { type: 'boolean' },
  logZeroGuardType: { type: 'enum', values: ['add', 'clamp'] },
  logZeroGuardValue: { type: 'number', min: 0, max: 1 },
  magPower: { type: 'number', min: 0, minExclusive: true, max: 4 },
  lowFreq: { type: 'number', min: 0, max: MAX_SAMPLE_RATE / 2 },
  highFreq: { type: 'number', min: 0, minExclusive: true, max: MAX_SAMPLE_RATE / 2, nullable: true },
  dither: { type: 'number', min: 0, max: 1 },
  padTo: { type: 'number', integer: true, min: 0, max: 1024 },
  padValue: { type: 'number', min: -1e6, max: 1e6 },
  exactPad: { type: 'boolean' },
  melNorm: { type: 'enum', values: ['slaney', 'none'] },
  frameSplicing: { type: 'number', integer: true, min: 1, max: 32 },
  stftPadMode: { type: 'enum', values: ['constant', 'reflect'] },
  dropLastFrame: { type: 'boolean' },
};

function createNemoMel(config: NemoMelConfig): FrontEnd<NemoMelConfig> {
  const g = nemoMelGeometry(config);
  const { frameCount, stftFrameCount } = nemoMelFrameCounts(config, g);
  let minSamples = 1;
  while (frameCount(minSamples) < 1) minSamples++;
  return {
    name: 'nemo-mel',
    kind: 'features',
    config: { ...config },
    sampleRate: config.sampleRate,
    dim: config.features * config.frameSplicing,
    hopSamples: g.hop,
    minSamples,
    ...(config.padTo > 0 ? { padFramesTo: config.padTo } : {}),
    padValue: config.padValue,
    frameCount,
    // NeMo's features tensor keeps every STFT frame; those at or past seq_len are set to pad_value.
    tensorFrameCount: (samples: number) => Math.max(frameCount(samples), stftFrameCount(samples)),
    compute: nemoMelCompute(config, g, frameCount),
  };
}

/** `nemo-mel`: NeMo's FilterbankFeatures (AudioToMelSpectrogramPreprocessor) at inference. */
export const nemoMelFrontEnd: FrontEndDefinition<NemoMelConfig> = {
  name: 'nemo-mel',
  description:
    "NeMo AudioToMelSpectrogramPreprocessor log-mel (centred STFT, Slaney mel, log(x + 2^-24), per_feature normalisation); NeMo's FilterbankFeatures at inference.",
  kind: 'features',
  defaults: {
    sampleRate: 16000,
    windowSizeSec: 0.02,
    windowStrideSec: 0.01,
    nWindowSize: null,
    nWindowStride: null,
    nFft: 512,
    window: 'hann',
    normalize: 'per_feature',
    features: 80,
    preemph: 0.97,
    log: true,
    logZeroGuardType: 'add',
    logZeroGuardValue: 2 ** -24,
    magPower: 2,
    lowFreq: 0,
    highFreq: null,
    dither: 0,
    padTo: 16,
    padValue: 0,
    exactPad: false,
    melNorm: 'slaney',
    frameSplicing: 1,
    stftPadMode: 'constant',
    dropLastFrame: true,
  },
  resolveConfig(partial, source) {
    return resolveWithSchema('nemo-mel', schema, this.defaults, partial, source);
  },
  create: createNemoMel,
};
