import { seededRandom } from '@asrq/core';
import { outputBuffer } from './buffers.js';
import { badConfig, resolveWithSchema, type ConfigSchema } from './config.js';
import { DirectDft } from './dft.js';
import { RealFft } from './fft.js';
import { applyMelBanks, kaldiMelBanks, slaneyMelBanks, type MelBanks } from './mel.js';
import { gaussianSource, normalizePerFeature } from './normalize.js';
import type { FeatureMatrix, FrontEnd, FrontEndDefinition } from './types.js';
import { KALDI_WINDOW_TYPES, kaldiWindow, type KaldiWindowType } from './windows.js';

/**
 * Config of `kaldi-fbank`: the options of Kaldi's `compute-fbank-feats`, kaldi-native-fbank's
 * `FbankOptions` and `torchaudio.compliance.kaldi.fbank`, camelCased. The defaults are
 * torchaudio's with `num_mel_bins=80, dither=0.0`.
 */
export interface KaldiFbankConfig {
  /** Hz (`sample_frequency`). */
  sampleRate: number;
  /** Hop in ms (10). */
  frameShiftMs: number;
  /** Window length in ms (25). */
  frameLengthMs: number;
  /** Gaussian noise amplitude added before everything else; 0 (no dither) is right for inference. Seeded, so deterministic. */
  dither: number;
  /** Per-frame pre-emphasis (0.97; 0 disables). */
  preemphasisCoefficient: number;
  /** Subtract each frame's mean (true). */
  removeDcOffset: boolean;
  /** Window shape ('povey'); 'hann' is kaldi-native-fbank's periodic Hann. */
  windowType: KaldiWindowType;
  /** Pad each frame with zeros to the next power of two before the FFT (true). */
  roundToPowerOfTwo: boolean;
  /** a0 of the Blackman window (0.42). */
  blackmanCoeff: number;
  /** true: only frames that fit in the audio (torchaudio's default); false: frames centred on multiples of the hop, edges reflected (sherpa-onnx, icefall). */
  snipEdges: boolean;
  /** Number of mel filters (80). */
  numMelBins: number;
  /** Lowest filter edge in Hz (20). */
  lowFreq: number;
  /** Highest filter edge in Hz; <= 0 means that far below Nyquist (0 = Nyquist; sherpa-onnx uses -400). */
  highFreq: number;
  /** Prepend the log energy of the frame as feature 0 (false). */
  useEnergy: boolean;
  /** Energy measured before pre-emphasis and window (true). */
  rawEnergy: boolean;
  /** Floor of the energy, not of its log (torchaudio 1.0); 0 disables. */
  energyFloor: number;
  /** log(max(x, FLT_EPSILON)) of the filterbank energies (true). */
  useLogFbank: boolean;
  /** Power spectrum (true) or magnitude (false). */
  usePower: boolean;
  /** Input in [-1, 1] is multiplied by this first: 1 (torchaudio on [-1, 1] audio, sherpa-onnx) or 32768 (Kaldi, WeNet on int16-range audio). */
  sampleScale: number;
  /** kaldi-native-fbank's `is_librosa`: Slaney mel scale and Slaney-normalised filters including the Nyquist bin (sherpa-onnx for NeMo models). */
  isLibrosa: boolean;
  /** 'per_feature': sherpa-onnx's normalisation for NeMo models, (x - mean) / (population std + 1e-5) per feature over the utterance. */
  normalize: 'none' | 'per_feature';
  /**
   * Value of the frames that pad a shorter utterance in a batch. 0 by default; icefall/lhotse and
   * sherpa-onnx pad log-mel features with log(1e-10) ≈ -23.03, which {@link frontEndFromSherpaMetadata} sets.
   */
  padValue: number;
}

const FLT_EPSILON = 1.1920928955078125e-7;

const schema: ConfigSchema<KaldiFbankConfig> = {
  sampleRate: { type: 'number', integer: true, min: 1 },
  frameShiftMs: { type: 'number', min: 0, minExclusive: true },
  frameLengthMs: { type: 'number', min: 0, minExclusive: true },
  dither: { type: 'number', min: 0 },
  preemphasisCoefficient: { type: 'number', min: 0, max: 1 },
  removeDcOffset: { type: 'boolean' },
  windowType: { type: 'enum', values: KALDI_WINDOW_TYPES },
  roundToPowerOfTwo: { type: 'boolean' },
  blackmanCoeff: { type: 'number' },
  snipEdges: { type: 'boolean' },
  numMelBins: { type: 'number', integer: true, min: 1 },
  lowFreq: { type: 'number', min: 0 },
  highFreq: { type: 'number' },
  useEnergy: { type: 'boolean' },
  rawEnergy: { type: 'boolean' },
  energyFloor: { type: 'number', min: 0 },
  useLogFbank: { type: 'boolean' },
  usePower: { type: 'boolean' },
  sampleScale: { type: 'number', min: 0, minExclusive: true },
  isLibrosa: { type: 'boolean' },
  normalize: { type: 'enum', values: ['none', 'per_feature'] },
  padValue: { type: 'number' },
};

/** Samples in `ms` milliseconds, truncated as Kaldi and torchaudio do (guarding against 399.99999). */
function msToSamples(sampleRate: number, ms: number): number {
  return Math.trunc((sampleRate * ms) / 1000 + 1e-6);
}

function createKaldiFbank(config: KaldiFbankConfig): FrontEnd<KaldiFbankConfig> {
  const shift = msToSamples(config.sampleRate, config.frameShiftMs);
  const length = msToSamples(config.sampleRate, config.frameLengthMs);
  if (shift < 1 || length < 2) badConfig('kaldi-fbank', `frameShiftMs ${config.frameShiftMs} and frameLengthMs ${config.frameLengthMs} at ${config.sampleRate} Hz give a hop of ${shift} and a window of ${length} samples; both must be at least 1 and 2.`);
  const padded = config.roundToPowerOfTwo ? 2 ** Math.ceil(Math.log2(length)) : length;
  const nyquist = config.sampleRate / 2;
  const high = config.highFreq > 0 ? config.highFreq : nyquist + config.highFreq;
  if (config.lowFreq >= nyquist || high <= config.lowFreq || high > nyquist) {
    badConfig('kaldi-fbank', `lowFreq ${config.lowFreq} and highFreq ${config.highFreq} give the band [${config.lowFreq}, ${high}] Hz, which must be non-empty and within Nyquist (${nyquist} Hz).`);
  }
  const transform = padded % 2 === 0 && (padded & (padded - 1)) === 0 ? new RealFft(padded) : new DirectDft(padded);
  const banks: MelBanks = config.isLibrosa
    ? slaneyMelBanks(config.numMelBins, padded, config.sampleRate, config.lowFreq, high)
    : kaldiMelBanks(config.numMelBins, padded, config.sampleRate, config.lowFreq, high);
  for (let m = 0; m < banks.size; m++) {
    if (banks.count[m] === 0) badConfig('kaldi-fbank', `mel filter ${m} of ${config.numMelBins} covers no FFT bin; use fewer numMelBins or a longer frame.`);
  }
  const window = kaldiWindow(config.windowType, length, config.blackmanCoeff);
  const dim = config.numMelBins + (config.useEnergy ? 1 : 0);
  const melOffset = config.useEnergy ? 1 : 0;
  const logEnergyFloor = config.energyFloor > 0 ? Math.log(config.energyFloor) : -Infinity;
  const frame = new Float64Array(padded);
  const spectrum = new Float64Array(Math.floor(padded / 2) + 1);
  const mel = new Float64Array(config.numMelBins);

  const frameCount = (samples: number): number => {
    if (config.snipEdges) return samples < length ? 0 : 1 + Math.floor((samples - length) / shift);
    return Math.floor((samples + Math.floor(shift / 2)) / shift);
  };

  return {
    name: 'kaldi-fbank',
    kind: 'features',
    config: { ...config },
    sampleRate: config.sampleRate,
    dim,
    hopSamples: shift,
    minSamples: config.snipEdges ? length : shift - Math.floor(shift / 2),
    padValue: config.padValue,
    frameCount,
    compute(audio: Float32Array, out?: Float32Array): FeatureMatrix {
      const n = audio.length;
      const frames = n === 0 ? 0 : frameCount(n);
      const data = outputBuffer(out, frames * dim, 'kaldi-fbank');
      const scale = config.sampleScale;
      const gauss = config.dither > 0 ? gaussianSource(seededRandom(0)) : undefined;
      for (let f = 0; f < frames; f++) {
        const start = config.snipEdges ? f * shift : f * shift + Math.floor(shift / 2) - Math.floor(length / 2);
        for (let s = 0; s < length; s++) {
          let i = start + s;
          // Reflect around the ends as Kaldi does (-1 -> 0, n -> n - 1), repeatedly if needed.
          while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
          frame[s] = audio[i]! * scale;
        }
        if (gauss) for (let s = 0; s < length; s++) frame[s] = frame[s]! + gauss() * config.dither;
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
        const row = f * dim;
        for (let m = 0; m < mel.length; m++) {
          data[row + melOffset + m] = config.useLogFbank ? Math.log(Math.max(mel[m]!, FLT_EPSILON)) : mel[m]!;
        }
        if (config.useEnergy) data[row] = Math.max(logEnergy, logEnergyFloor);
      }
      if (config.normalize === 'per_feature') normalizePerFeature(data, frames, dim, false);
      return { data, frames, dim };
    },
  };
}

function frameLogEnergy(frame: Float64Array, count: number): number {
  let sum = 0;
  for (let s = 0; s < count; s++) sum += frame[s]! * frame[s]!;
  return Math.log(Math.max(sum, FLT_EPSILON));
}

/** `kaldi-fbank`: Kaldi / kaldi-native-fbank / torchaudio.compliance.kaldi.fbank log-mel filterbanks. */
export const kaldiFbankFrontEnd: FrontEndDefinition<KaldiFbankConfig> = {
  name: 'kaldi-fbank',
  description: 'Kaldi log-mel filterbank (kaldi-native-fbank, torchaudio.compliance.kaldi.fbank); defaults equal torchaudio with num_mel_bins=80, dither=0.',
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
    return resolveWithSchema('kaldi-fbank', schema, this.defaults, partial, source);
  },
  create: createKaldiFbank,
};
