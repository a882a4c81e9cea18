import type { NemoWindowType } from './windows.js';

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
