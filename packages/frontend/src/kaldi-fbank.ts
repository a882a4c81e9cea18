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
import { KALDI_WINDOW_TYPES, type KaldiWindowType } from './windows.js';

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
