import { seededRandom } from '@asrq/core';
import { outputBuffer } from './buffers.js';
import { badConfig, checkFeatureRate, MAX_FEATURE_DIM, MAX_FFT_SIZE } from './config.js';
import { RealFft } from './fft.js';
import { applyMelBanks, slaneyMelBanks, type MelBanks } from './mel.js';
import type { NemoMelConfig } from './nemo-mel-config.js';
import { gaussianSource, normalizeAllFeatures, normalizePerFeature } from './normalize.js';
import type { FeatureMatrix } from './types.js';
import { torchSymmetricWindow } from './windows.js';

/** The sizes and tables a `nemo-mel` config works out to (torch.stft's and NeMo's arithmetic). */
export interface NemoMelGeometry {
  /** Window in samples. */
  win: number;
  /** Hop in samples. */
  hop: number;
  nFft: number;
  /** Where the window sits inside the nFft-sample frame (torch.stft centres it). */
  windowOffset: number;
  /** Zeros padded on each side with exactPad. */
  exactPadAmount: number;
  /** torch.stft's centring pad on each side (0 with exactPad). */
  centrePad: number;
  /** The padding NeMo's get_seq_len adds. */
  seqPad: number;
  banks: MelBanks;
  window: Float64Array;
}

/**
 * Checks a `nemo-mel` config and works out its geometry.
 * @param config - A full config.
 * @returns Window, hop, FFT size, paddings, mel banks and window.
 * @throws AsrqError `FRONTEND_BAD_CONFIG` when the sizes or band cannot work.
 */
export function nemoMelGeometry(config: NemoMelConfig): NemoMelGeometry {
  const sr = config.sampleRate;
  const win = config.nWindowSize ?? Math.trunc(config.windowSizeSec * sr);
  const hop = config.nWindowStride ?? Math.trunc(config.windowStrideSec * sr);
  if (win < 1 || hop < 1)
    badConfig(
      'nemo-mel',
      `window ${win} and hop ${hop} samples must both be at least 1 (windowSizeSec, windowStrideSec at ${sr} Hz).`,
    );
  const nFft = config.nFft ?? 2 ** Math.ceil(Math.log2(win));
  if ((nFft & (nFft - 1)) !== 0)
    badConfig(
      'nemo-mel',
      `nFft ${nFft} is not a power of two; asrq's nemo-mel supports power-of-two FFT sizes (NeMo's default is the next power of two above the window).`,
    );
  if (nFft > MAX_FFT_SIZE)
    badConfig(
      'nemo-mel',
      `the window (${win} samples) needs an FFT of ${nFft}; at most ${MAX_FFT_SIZE} are supported.`,
    );
  const dim = config.features * config.frameSplicing;
  if (dim > MAX_FEATURE_DIM)
    badConfig(
      'nemo-mel',
      `features ${config.features} x frameSplicing ${config.frameSplicing} = ${dim} values per frame; at most ${MAX_FEATURE_DIM} are supported.`,
    );
  checkFeatureRate('nemo-mel', dim, hop, sr);
  if (win > nFft)
    badConfig(
      'nemo-mel',
      `the window (${win} samples) is longer than nFft (${nFft}); torch.stft refuses this too. Raise nFft.`,
    );
  if (config.exactPad && hop % 2 === 1)
    badConfig('nemo-mel', `exactPad needs an even hop, got ${hop} samples (NeMo raises NotImplementedError too).`);
  const highFreq = config.highFreq ?? sr / 2;
  if (config.lowFreq >= highFreq)
    badConfig('nemo-mel', `lowFreq ${config.lowFreq} must be below highFreq ${highFreq}.`);
  const exactPadAmount = config.exactPad ? Math.floor((nFft - hop) / 2) : 0;
  return {
    win,
    hop,
    nFft,
    windowOffset: Math.floor((nFft - win) / 2),
    exactPadAmount,
    centrePad: config.exactPad ? 0 : Math.floor(nFft / 2),
    seqPad: config.exactPad ? 2 * exactPadAmount : 2 * Math.floor(nFft / 2),
    banks: slaneyMelBanks(config.features, nFft, sr, config.lowFreq, highFreq, config.melNorm === 'slaney'),
    window: torchSymmetricWindow(config.window, win),
  };
}

/**
 * Frame counts of a `nemo-mel` front end.
 * @param config - A full config.
 * @param g - Its geometry.
 * @returns `stftFrameCount`: frames torch.stft gives; `frameCount`: NeMo's seq_len, capped by them.
 */
export function nemoMelFrameCounts(
  config: NemoMelConfig,
  g: NemoMelGeometry,
): { frameCount: (samples: number) => number; stftFrameCount: (samples: number) => number } {
  const { nFft, hop, exactPadAmount, centrePad, seqPad } = g;
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
  return { frameCount, stftFrameCount };
}

/**
 * The `compute` of a `nemo-mel` front end: pad, dither and pre-emphasise the signal, then per frame
 * window, power spectrum, mel banks and log; then splice and normalise. Work buffers are reused.
 * @param config - A full config.
 * @param g - Its geometry.
 * @param frameCount - From {@link nemoMelFrameCounts}.
 * @returns The compute function.
 */
export function nemoMelCompute(
  config: NemoMelConfig,
  g: NemoMelGeometry,
  frameCount: (samples: number) => number,
): (audio: Float32Array, out?: Float32Array) => FeatureMatrix {
  const features = config.features;
  const dim = features * config.frameSplicing;
  const melFrame = nemoMelFrame(config, g, dim);
  const preemph = config.preemph ?? 0;
  const { exactPadAmount } = g;
  let signal = new Float64Array(0);
  return (audio: Float32Array, out?: Float32Array): FeatureMatrix => {
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
    for (let t = 0; t < frames; t++) melFrame(signal, length, t, data);
    // Splicing copies the frame (NeMo's splice_frames concatenates x with itself); copies before
    // normalising give the same result as normalising each copy.
    for (let t = 0; t < frames; t++)
      for (let s = 1; s < config.frameSplicing; s++)
        data.copyWithin(t * dim + s * features, t * dim, t * dim + features);
    if (config.normalize === 'per_feature') normalizePerFeature(data, frames, dim, true);
    else if (config.normalize === 'all_features') normalizeAllFeatures(data, frames * dim);
    return { data, frames, dim };
  };
}

/** One frame's log-mel: window the (reflected or zero-padded) signal, power spectrum, mel banks, log. */
function nemoMelFrame(
  config: NemoMelConfig,
  g: NemoMelGeometry,
  dim: number,
): (signal: Float64Array, length: number, t: number, data: Float32Array) => void {
  const { win, hop, nFft, windowOffset, centrePad, banks, window } = g;
  const features = config.features;
  const fft = new RealFft(nFft);
  const frame = new Float64Array(nFft);
  const spectrum = new Float64Array(nFft / 2 + 1);
  const mel = new Float64Array(features);
  const reflect = config.stftPadMode === 'reflect';
  return (signal, length, t, data) => {
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
    if (config.magPower !== 2)
      for (let k = 0; k < spectrum.length; k++) spectrum[k] = Math.sqrt(spectrum[k]!) ** config.magPower;
    applyMelBanks(banks, spectrum, mel);
    const row = t * dim;
    const guard = config.logZeroGuardValue;
    for (let m = 0; m < features; m++) {
      const v = mel[m]!;
      data[row + m] = !config.log
        ? v
        : config.logZeroGuardType === 'add'
          ? Math.log(v + guard)
          : Math.log(Math.max(v, guard));
    }
  };
}
