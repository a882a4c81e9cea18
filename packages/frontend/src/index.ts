/**
 * @asrq/frontend: what a speech model is fed. Waveform front ends (`raw`, `hf-normalize`) and
 * feature front ends (`kaldi-fbank`, `nemo-mel`, `funasr-fbank`) behind one registry, plus mappers
 * from the settings real exports ship (transformers preprocessor_config.json, NeMo model_config.yaml,
 * sherpa-onnx metadata). Pure math: no Node API.
 */
export { FrontEndError, frontEndErrorCodes, type FrontEndErrorCode } from './errors.js';
export type { FeatureMatrix, FrontEnd, FrontEndDefinition, FrontEndKind } from './types.js';
export { createFrontEnd, frontEndNames, getFrontEndDefinition, registerFrontEnd } from './registry.js';
export {
  MAX_FEATURE_DIM,
  MAX_FFT_SIZE,
  MAX_SAMPLE_RATE,
  MIN_SAMPLE_RATE,
  resolveWithSchema,
  type ConfigSchema,
  type FieldSpec,
} from './config.js';
export { RealFft } from './fft.js';
export { DirectDft } from './dft.js';
export {
  applyMelBanks,
  kaldiMel,
  kaldiMelBanks,
  slaneyMel,
  slaneyMelBanks,
  slaneyMelToHz,
  type MelBanks,
} from './mel.js';
export {
  KALDI_WINDOW_TYPES,
  NEMO_WINDOW_TYPES,
  kaldiWindow,
  torchSymmetricWindow,
  type KaldiWindowType,
  type NemoWindowType,
} from './windows.js';
export { NEMO_STD_GUARD, gaussianSource, normalizeAllFeatures, normalizePerFeature } from './normalize.js';
export { rawFrontEnd, type RawConfig } from './raw.js';
export { waveformFrontEnd, type WaveformConfig } from './waveform-front-end.js';
export {
  HF_NORMALIZE_EPSILON,
  hfNormalizeFrontEnd,
  normalizeBatchRows,
  zeroMeanUnitVariance,
  type HfNormalizeConfig,
} from './hf-normalize.js';
export { kaldiFbankFrontEnd, kaldiFbankSchema } from './kaldi-fbank.js';
export type { KaldiFbankConfig } from './kaldi-fbank-config.js';
export { funasrFbankFrontEnd, type FunasrFbankConfig } from './funasr-fbank.js';
export { applyGlobalCmvn, lfrFrameCount, stackLowFrameRate } from './lfr.js';
export { nemoMelFrontEnd } from './nemo-mel.js';
export type { NemoMelConfig } from './nemo-mel-config.js';
export { frontEndFromHfPreprocessorConfig, type HfFrontEndChoice } from './from-hf.js';
export { frontEndFromNemoPreprocessor } from './from-nemo.js';
export { LHOTSE_LOG_PAD, frontEndFromSherpaMetadata } from './from-sherpa.js';
export { frontEndFromSenseVoiceMetadata } from './from-sense-voice.js';
