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
import { NEMO_WINDOW_TYPES, type NemoWindowType } from './windows.js';

/**
 * Config of `nemo-mel`: the arguments of NeMo's `AudioToMelSpectrogramPreprocessor` /
 * `FilterbankFeatures`, camelCased. Defaults are NeMo's, except dither (0: NeMo dithers only in
 * training) and features (80, what most released Conformer/Citrinet models use; NeMo's own default is 64).
 */
export interface NemoMelConfig {
  /** Hz. */
  sampleRate: number;
  /** Window in seconds (0.02); win_length = int(windowSizeSec * sampleRate). */
  windowSizeSec: number;
  /** Hop in seconds (0.01); hop = int(windowStrideSec * sampleRate). */
  windowStrideSec: number;
  /** Window in samples (`n_window_size`); overrides windowSizeSec when set. */
  nWindowSize: number | null;
  /** Hop in samples (`n_window_stride`); overrides windowStrideSec when set. */
  nWindowStride: number | null;
  /** FFT size (512); null = next power of two >= win_length, as NeMo does. */
  nFft: number | null;
  /** torch window (periodic=False), zero-padded to nFft in the middle as torch.stft does. */
  window: NemoWindowType;
  /** 'per_feature' (mean/unbiased std per mel bin over the valid frames), 'all_features' or 'none'. */
  normalize: 'per_feature' | 'all_features' | 'none';
  /** Mel filters (`features`). */
  features: number;
  /** Pre-emphasis over the whole signal; null or 0 disables. */
  preemph: number | null;
  /** Take the log (true). */
  log: boolean;
  /** 'add': log(x + guard); 'clamp': log(max(x, guard)). */
  logZeroGuardType: 'add' | 'clamp';
  /** The guard (2^-24). */
  logZeroGuardValue: number;
  /** Exponent of the magnitude (2: power spectrum). */
  magPower: number;
  /** Lowest filter edge, Hz. */
  lowFreq: number;
  /** Highest filter edge, Hz; null = sampleRate / 2. */
  highFreq: number | null;
  /** Gaussian dither amplitude; 0 at inference (NeMo applies it in training only). Seeded when > 0. */
  dither: number;
  /** NeMo's pad_to: the time axis of the features is padded to a multiple of this (0: none); the runtime does it. */
  padTo: number;
  /** Value of those padding frames. */
  padValue: number;
  /** exact_pad: pad (nFft - hop) / 2 zeros each side and no centring, so frames = len / hop. */
  exactPad: boolean;
  /** 'slaney' (librosa norm='slaney') or 'none' (mel_norm=None). */
  melNorm: 'slaney' | 'none';
  /** Stack this many copies of each frame along the feature axis (NeMo's frame_splicing, whose splice is a plain copy). */
  frameSplicing: number;
  /** How torch.stft pads the centred signal: 'constant' (NeMo since 2.4) or 'reflect' (older NeMo, torch.stft's default). */
  stftPadMode: 'constant' | 'reflect';
  /**
   * NeMo since 2.4 computes seq_len = (len + 2 * (nFft // 2) - nFft) // hop, one frame fewer than the
   * STFT gives; the last frame is excluded from normalisation and dropped (true). false: older NeMo's
   * seq_len, one more, counting it.
   */
  dropLastFrame: boolean;
}

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
