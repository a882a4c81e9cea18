import type { KaldiWindowType } from './windows.js';

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
   * sherpa-onnx pad log-mel features with log(1e-10) ≈ -23.03, which `frontEndFromSherpaMetadata` sets.
   */
  padValue: number;
}
