import { seededRandom } from '@asrq/core';
import { outputBuffer } from './buffers.js';
import { badConfig, resolveWithSchema, type ConfigSchema } from './config.js';
import { RealFft } from './fft.js';
import { applyMelBanks, slaneyMelBanks } from './mel.js';
import { gaussianSource, normalizeAllFeatures, normalizePerFeature } from './normalize.js';
import type { FeatureMatrix, FrontEnd, FrontEndDefinition } from './types.js';
import { NEMO_WINDOW_TYPES, torchSymmetricWindow, type NemoWindowType } from './windows.js';

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
  sampleRate: { type: 'number', integer: true, min: 1 },
  windowSizeSec: { type: 'number', min: 0, minExclusive: true },
  windowStrideSec: { type: 'number', min: 0, minExclusive: true },
  nWindowSize: { type: 'number', integer: true, min: 1, nullable: true },
  nWindowStride: { type: 'number', integer: true, min: 1, nullable: true },
  nFft: { type: 'number', integer: true, min: 2, nullable: true },
  window: { type: 'enum', values: NEMO_WINDOW_TYPES },
  normalize: { type: 'enum', values: ['per_feature', 'all_features', 'none'] },
  features: { type: 'number', integer: true, min: 1 },
  preemph: { type: 'number', min: 0, max: 1, nullable: true },
  log: { type: 'boolean' },
  logZeroGuardType: { type: 'enum', values: ['add', 'clamp'] },
  logZeroGuardValue: { type: 'number', min: 0 },
  magPower: { type: 'number', min: 0, minExclusive: true },
  lowFreq: { type: 'number', min: 0 },
  highFreq: { type: 'number', min: 0, minExclusive: true, nullable: true },
  dither: { type: 'number', min: 0 },
  padTo: { type: 'number', integer: true, min: 0 },
  padValue: { type: 'number' },
  exactPad: { type: 'boolean' },
  melNorm: { type: 'enum', values: ['slaney', 'none'] },
  frameSplicing: { type: 'number', integer: true, min: 1 },
  stftPadMode: { type: 'enum', values: ['constant', 'reflect'] },
  dropLastFrame: { type: 'boolean' },
};

function createNemoMel(config: NemoMelConfig): FrontEnd<NemoMelConfig> {
  const sr = config.sampleRate;
  const win = config.nWindowSize ?? Math.trunc(config.windowSizeSec * sr);
  const hop = config.nWindowStride ?? Math.trunc(config.windowStrideSec * sr);
  if (win < 1 || hop < 1) badConfig('nemo-mel', `window ${win} and hop ${hop} samples must both be at least 1 (windowSizeSec, windowStrideSec at ${sr} Hz).`);
  const nFft = config.nFft ?? 2 ** Math.ceil(Math.log2(win));
  if ((nFft & (nFft - 1)) !== 0) badConfig('nemo-mel', `nFft ${nFft} is not a power of two; asrq's nemo-mel supports power-of-two FFT sizes (NeMo's default is the next power of two above the window).`);
  if (win > nFft) badConfig('nemo-mel', `the window (${win} samples) is longer than nFft (${nFft}); torch.stft refuses this too. Raise nFft.`);
  if (config.exactPad && hop % 2 === 1) badConfig('nemo-mel', `exactPad needs an even hop, got ${hop} samples (NeMo raises NotImplementedError too).`);
  const highFreq = config.highFreq ?? sr / 2;
  if (config.lowFreq >= highFreq) badConfig('nemo-mel', `lowFreq ${config.lowFreq} must be below highFreq ${highFreq}.`);
  const banks = slaneyMelBanks(config.features, nFft, sr, config.lowFreq, highFreq, config.melNorm === 'slaney');
  const window = torchSymmetricWindow(config.window, win);
  const windowOffset = Math.floor((nFft - win) / 2);
  const exactPadAmount = config.exactPad ? Math.floor((nFft - hop) / 2) : 0;
  const centrePad = config.exactPad ? 0 : Math.floor(nFft / 2);
  const seqPad = config.exactPad ? 2 * exactPadAmount : 2 * Math.floor(nFft / 2);
  const features = config.features;
  const dim = features * config.frameSplicing;
  const preemph = config.preemph ?? 0;
  const fft = new RealFft(nFft);
  const frame = new Float64Array(nFft);
  const spectrum = new Float64Array(nFft / 2 + 1);
  const mel = new Float64Array(features);
  let signal = new Float64Array(0);

  const stftFrameCount = (samples: number): number => {
    if (samples <= 0) return 0;
    const padded = samples + 2 * exactPadAmount;
    return padded + 2 * centrePad >= nFft ? Math.floor((padded + 2 * centrePad - nFft) / hop) + 1 : 0;
  };
  const frameCount = (samples: number): number => {
    if (samples <= 0) return 0;
    // NeMo's get_seq_len (floor division), capped by the frames the STFT produces.
    const seqLen = Math.floor((samples + seqPad - nFft) / hop) + (config.dropLastFrame ? 0 : 1);
    return Math.max(0, Math.min(seqLen, stftFrameCount(samples)));
  };
  let minSamples = 1;
  while (frameCount(minSamples) < 1) minSamples++;

  return {
    name: 'nemo-mel',
    kind: 'features',
    config: { ...config },
    sampleRate: sr,
    dim,
    hopSamples: hop,
    minSamples,
    ...(config.padTo > 0 ? { padFramesTo: config.padTo } : {}),
    padValue: config.padValue,
    frameCount,
    // NeMo's features tensor keeps every STFT frame; those at or past seq_len are set to pad_value.
    tensorFrameCount: (samples: number) => Math.max(frameCount(samples), stftFrameCount(samples)),
    compute(audio: Float32Array, out?: Float32Array): FeatureMatrix {
      const n = audio.length;
      const frames = frameCount(n);
      const data = outputBuffer(out, frames * dim, 'nemo-mel');
      // The (exact-)padded, dithered, pre-emphasised signal; the buffer grows once and is reused.
      const length = n + 2 * exactPadAmount;
      if (signal.length < length) signal = new Float64Array(length);
      signal.fill(0, 0, length);
      for (let i = 0; i < n; i++) signal[exactPadAmount + i] = audio[i]!;
      if (config.dither > 0) {
        const gauss = gaussianSource(seededRandom(0));
        for (let i = 0; i < length; i++) signal[i] = signal[i]! + config.dither * gauss();
      }
      if (preemph !== 0) {
        for (let i = length - 1; i > 0; i--) signal[i] = signal[i]! - preemph * signal[i - 1]!;
        // NeMo masks samples at or after the original length (only matters with exactPad).
        signal.fill(0, n, length);
      }
      const reflect = config.stftPadMode === 'reflect';
      for (let t = 0; t < frames; t++) {
        frame.fill(0);
        const base = t * hop - centrePad + windowOffset;
        for (let j = 0; j < win; j++) {
          let i = base + j;
          if (i < 0 || i >= length) {
            if (!reflect || length < 2) continue;
            while (i < 0 || i >= length) i = i < 0 ? -i : 2 * (length - 1) - i;
          }
          frame[windowOffset + j] = signal[i]! * window[j]!;
        }
        fft.powerSpectrum(frame, spectrum);
        if (config.magPower !== 2) for (let k = 0; k < spectrum.length; k++) spectrum[k] = Math.pow(Math.sqrt(spectrum[k]!), config.magPower);
        applyMelBanks(banks, spectrum, mel);
        const row = t * dim;
        const guard = config.logZeroGuardValue;
        for (let m = 0; m < features; m++) {
          const v = mel[m]!;
          data[row + m] = !config.log ? v : config.logZeroGuardType === 'add' ? Math.log(v + guard) : Math.log(Math.max(v, guard));
        }
      }
      // Splicing copies the frame (NeMo's splice_frames concatenates x with itself); copies before
      // normalising give the same result as normalising each copy.
      for (let t = 0; t < frames; t++) for (let s = 1; s < config.frameSplicing; s++) data.copyWithin(t * dim + s * features, t * dim, t * dim + features);
      if (config.normalize === 'per_feature') normalizePerFeature(data, frames, dim, true);
      else if (config.normalize === 'all_features') normalizeAllFeatures(data, frames * dim);
      return { data, frames, dim };
    },
  };
}

/** `nemo-mel`: NeMo's FilterbankFeatures (AudioToMelSpectrogramPreprocessor) at inference. */
export const nemoMelFrontEnd: FrontEndDefinition<NemoMelConfig> = {
  name: 'nemo-mel',
  description: "NeMo AudioToMelSpectrogramPreprocessor log-mel (centred STFT, Slaney mel, log(x + 2^-24), per_feature normalisation); NeMo's FilterbankFeatures at inference.",
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
