/**
 * Runs ONNX CTC speech models with onnxruntime-node: a registry of model families (how each
 * family's exports are recognised and fed), interface discovery from the graph, its metadata and
 * the files beside it, padded batches, log-probs per utterance, and transcription with greedy or
 * beam-search decoding.
 * @packageDocumentation
 */
export { AsrqRuntimeError, runtimeErrorCodes, type RuntimeErrorCode } from './errors.js';
export { CtcModel, type ForwardResult, type LoadModelOptions } from './ctc-model.js';
export { ModelCore, type CoreDiscovery, type CoreSession, type OrtFlavour } from './model-core.js';
export {
  companionSpecs,
  detectModelFamily,
  getModelFamily,
  modelFamilies,
  registerModelFamily,
} from './families/registry.js';
export type {
  CompanionFile,
  CompanionSpec,
  ConstantInput,
  FamilyFrontEnd,
  FamilyNames,
  FamilyTokenizer,
  FamilyTokenizerContext,
  ModelCompanions,
  ModelEvidence,
  ModelFamily,
} from './families/family.js';
export { float16Bits, float16ToFloat32, float16Value, toFloat16Bits } from './float16.js';
export {
  openSession,
  resolveSessionSettings,
  sessionOptions,
  type OpenedSession,
  type ResolvedSessionSettings,
  type SessionSettings,
} from './session.js';
export { buildFeeds, supportsPadding } from './feeds.js';
export type { FeedData, TensorFactory } from './feeds-core.js';
export { audioWindows } from './audio-windows.js';
export {
  calibrationFeeds,
  type CalibrationFeeds,
  type CalibrationFeedsOptions,
  type UtteranceFeeds,
} from './calibration-feeds.js';
export {
  COMPANION_FILE_NAMES,
  companionFileNames,
  readModelCompanions,
} from './companions.js';
export {
  checkModelCompanions,
  copyModelCompanions,
  type CompanionCopy,
  type CompanionCopyOptions,
} from './companion-copy.js';
export {
  checkSameFrontEnd,
  resolveFrontEnd,
  type FrontEndOverride,
  type ResolvedFrontEnd,
  type ResolveFrontEndOptions,
} from './frontend-resolve.js';
export { discoverModelInfo, type DiscoverOptions } from './model-info.js';
export type {
  BlankIdSource,
  ConstantInputInfo,
  FeaturesLayout,
  FeedType,
  FloatType,
  InputForm,
  IntType,
  ModelInfo,
  ModelInfoOverrides,
} from './types.js';
export { loadModelTokenizer, type LoadModelTokenizerOptions, type TokenizerTarget } from './model-tokenizer.js';
export { readOnnxMetadata } from './onnx-metadata.js';
export { onnxruntimeVersion } from './versions.js';
// Tokenizer files and decoder selection live in @asrq/ctc (its registries); re-exported so one import serves.
export { findTokenizer } from '@asrq/ctc';
export { createDecoder, defaultBeamWidth, type CtcDecodeFn, type DecodeSettings } from '@asrq/ctc/browser';
export { Transcriber, type TimedWord, type Transcript, type TranscriberSettings } from './transcriber.js';
export {
  chunkSamples,
  frameToSec,
  keptFrames,
  needsChunking,
  planChunks,
  stitchLogProbs,
  type ChunkOptions,
  type ChunkSpan,
  type FrameSegment,
  type LongForwardOptions,
  type LongForwardProgress,
  type LongForwardResult,
} from './long-audio.js';
export { forwardLong, forwardLongStream, type WindowedModel } from './forward-long.js';
export { chunkOptionsFor, fixedInputSamples } from './fixed-length.js';
export { DEFAULT_CHUNK_SEC, DEFAULT_STRIDE_SEC, RUNTIME_DEFAULTS } from './defaults.js';
export { splitCues, toCtm, toSrt, toVtt, type Cue, type CueOptions } from './subtitles.js';
export { formatModelInfo, summarizeModelInfo, type ModelInfoSummary } from './model-info-report.js';
