import { seededRandom } from '@asrq/core';
import { outputBuffer } from './buffers.js';
import { badConfig, MAX_DIRECT_DFT_SIZE, MAX_FFT_SIZE } from './config.js';
import { DirectDft } from './dft.js';
import { RealFft } from './fft.js';
import type { KaldiFbankConfig } from './kaldi-fbank-config.js';
import { applyMelBanks, kaldiMelBanks, slaneyMelBanks, type MelBanks } from './mel.js';
import { gaussianSource, normalizePerFeature } from './normalize.js';
import type { FeatureMatrix } from './types.js';
import { kaldiWindow } from './windows.js';

const FLT_EPSILON = 1.1920928955078125e-7;

/** Samples in `ms` milliseconds, truncated as Kaldi and torchaudio do (guarding against 399.99999). */
function msToSamples(sampleRate: number, ms: number): number {
  return Math.trunc((sampleRate * ms) / 1000 + 1e-6);
}

/** The sizes and tables a `kaldi-fbank` config works out to. */
export interface KaldiFbankGeometry {
  /** Hop in samples. */
  shift: number;
  /** Window in samples. */
  length: number;
  /** FFT size (the window rounded up to a power of two, or the window). */
  padded: number;
  transform: RealFft | DirectDft;
  banks: MelBanks;
  window: Float64Array;
}

/**
 * Checks a `kaldi-fbank` config and works out its geometry.
 * @param config - A full config.
 * @returns Hop, window, FFT size and transform, mel banks and window.
 * @throws AsrqError `FRONTEND_BAD_CONFIG` when the sizes or band cannot work or a mel filter covers no FFT bin.
 */
export function kaldiFbankGeometry(config: KaldiFbankConfig): KaldiFbankGeometry {
  const shift = msToSamples(config.sampleRate, config.frameShiftMs);
  const length = msToSamples(config.sampleRate, config.frameLengthMs);
  if (shift < 1 || length < 2)
    badConfig(
      'kaldi-fbank',
      `frameShiftMs ${config.frameShiftMs} and frameLengthMs ${config.frameLengthMs} at ${config.sampleRate} Hz give a hop of ${shift} and a window of ${length} samples; both must be at least 1 and 2.`,
    );
  const padded = config.roundToPowerOfTwo ? 2 ** Math.ceil(Math.log2(length)) : length;
  const powerOfTwo = (padded & (padded - 1)) === 0;
  if (padded > MAX_FFT_SIZE || (!powerOfTwo && padded > MAX_DIRECT_DFT_SIZE))
    badConfig(
      'kaldi-fbank',
      `frameLengthMs ${config.frameLengthMs} at ${config.sampleRate} Hz gives a window of ${length} samples; at most ${powerOfTwo ? MAX_FFT_SIZE : `${MAX_DIRECT_DFT_SIZE} without roundToPowerOfTwo`} are supported.`,
    );
  const nyquist = config.sampleRate / 2;
  const high = config.highFreq > 0 ? config.highFreq : nyquist + config.highFreq;
  if (config.lowFreq >= nyquist || high <= config.lowFreq || high > nyquist) {
    badConfig(
      'kaldi-fbank',
      `lowFreq ${config.lowFreq} and highFreq ${config.highFreq} give the band [${config.lowFreq}, ${high}] Hz, which must be non-empty and within Nyquist (${nyquist} Hz).`,
    );
  }
  const transform = padded % 2 === 0 && (padded & (padded - 1)) === 0 ? new RealFft(padded) : new DirectDft(padded);
  const banks: MelBanks = config.isLibrosa
    ? slaneyMelBanks(config.numMelBins, padded, config.sampleRate, config.lowFreq, high)
    : kaldiMelBanks(config.numMelBins, padded, config.sampleRate, config.lowFreq, high);
  for (let m = 0; m < banks.size; m++) {
    if (banks.count[m] === 0)
      badConfig(
        'kaldi-fbank',
        `mel filter ${m} of ${config.numMelBins} covers no FFT bin; use fewer numMelBins or a longer frame.`,
      );
  }
  const window = kaldiWindow(config.windowType, length, config.blackmanCoeff);
  return { shift, length, padded, transform, banks, window };
}

/**
 * The `compute` of a `kaldi-fbank` front end: per frame, Kaldi's frame extraction (edges
 * reflected), dither, DC removal, energy, pre-emphasis, window, power spectrum, mel banks and log;
 * then the optional per-feature normalisation. Work buffers are reused.
 * @param config - A full config.
 * @param g - Its geometry.
 * @param frameCount - Frames for a number of samples.
 * @returns The compute function.
 */
export function kaldiFbankCompute(
  config: KaldiFbankConfig,
  g: KaldiFbankGeometry,
  frameCount: (samples: number) => number,
): (audio: Float32Array, out?: Float32Array) => FeatureMatrix {
  const dim = config.numMelBins + (config.useEnergy ? 1 : 0);
  const fbankFrame = kaldiFbankFrame(config, g, dim);
  const { shift, length } = g;
  const scale = config.sampleScale;
  return (audio: Float32Array, out?: Float32Array): FeatureMatrix => {
    const n = audio.length;
    const frames = n === 0 ? 0 : frameCount(n);
    const data = outputBuffer(out, frames * dim, 'kaldi-fbank');
    const gauss = config.dither > 0 ? gaussianSource(seededRandom(0)) : undefined;
    const frame = fbankFrame.frame;
    for (let f = 0; f < frames; f++) {
      const start = config.snipEdges ? f * shift : f * shift + Math.floor(shift / 2) - Math.floor(length / 2);
      for (let s = 0; s < length; s++) {
        let i = start + s;
        // Reflect around the ends as Kaldi does (-1 -> 0, n -> n - 1), repeatedly if needed.
        while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
        frame[s] = audio[i]! * scale;
      }
      if (gauss) for (let s = 0; s < length; s++) frame[s] = frame[s]! + gauss() * config.dither;
      fbankFrame.features(f * dim, data);
    }
    if (config.normalize === 'per_feature') normalizePerFeature(data, frames, dim, false);
    return { data, frames, dim };
  };
}

/** One frame's features, from the samples in `frame` (overwritten) to a row of `data`. */
function kaldiFbankFrame(
  config: KaldiFbankConfig,
  g: KaldiFbankGeometry,
  dim: number,
): { frame: Float64Array; features: (row: number, data: Float32Array) => void } {
  const { length, padded, transform, banks, window } = g;
  const melOffset = dim - config.numMelBins;
  const logEnergyFloor = config.energyFloor > 0 ? Math.log(config.energyFloor) : -Infinity;
  const frame = new Float64Array(padded);
  const spectrum = new Float64Array(Math.floor(padded / 2) + 1);
  const mel = new Float64Array(config.numMelBins);
  const features = (row: number, data: Float32Array): void => {
    if (config.removeDcOffset) {
      let sum = 0;
      for (let s = 0; s < length; s++) sum += frame[s]!;
      const mean = sum / length;
      for (let s = 0; s < length; s++) frame[s] = frame[s]! - mean;
    }
    let logEnergy = 0;
    if (config.useEnergy && config.rawEnergy) logEnergy = frameLogEnergy(frame, length);
    const c = config.preemphasisCoefficient;
    if (c !== 0) {
      for (let s = length - 1; s > 0; s--) frame[s] = frame[s]! - c * frame[s - 1]!;
      frame[0] = frame[0]! - c * frame[0]!;
    }
    for (let s = 0; s < length; s++) frame[s] = frame[s]! * window[s]!;
    frame.fill(0, length);
    if (config.useEnergy && !config.rawEnergy) logEnergy = frameLogEnergy(frame, padded);
    transform.powerSpectrum(frame, spectrum);
    if (!config.usePower) for (let k = 0; k < spectrum.length; k++) spectrum[k] = Math.sqrt(spectrum[k]!);
    applyMelBanks(banks, spectrum, mel);
    for (let m = 0; m < mel.length; m++) {
      data[row + melOffset + m] = config.useLogFbank ? Math.log(Math.max(mel[m]!, FLT_EPSILON)) : mel[m]!;
    }
    if (config.useEnergy) data[row] = Math.max(logEnergy, logEnergyFloor);
  };
  return { frame, features };
}

function frameLogEnergy(frame: Float64Array, count: number): number {
  let sum = 0;
  for (let s = 0; s < count; s++) sum += frame[s]! * frame[s]!;
  return Math.log(Math.max(sum, FLT_EPSILON));
}
