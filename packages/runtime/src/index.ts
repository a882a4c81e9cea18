/**
 * Runs ONNX CTC speech models with onnxruntime-node: interface discovery from the graph and
 * its metadata, padded batches, log-probs per utterance, and transcription with greedy or
 * beam-search decoding.
 * @packageDocumentation
 */
export { RuntimeError, runtimeErrorCodes, type RuntimeErrorCode } from './errors.js';
export { CtcModel, type ForwardResult, type LoadModelOptions } from './ctc-model.js';
export {
  openSession,
  resolveSessionSettings,
  sessionOptions,
  type OpenedSession,
  type ResolvedSessionSettings,
  type SessionSettings,
} from './session.js';
export { buildFeeds, supportsPadding } from './feeds.js';
export { audioWindows } from './audio-windows.js';
export {
  calibrationFeeds,
  type CalibrationFeeds,
  type CalibrationFeedsOptions,
  type UtteranceFeeds,
} from './calibration-feeds.js';
export { COMPANION_FILE_NAMES, readModelCompanions, type CompanionFile, type ModelCompanions } from './companions.js';
export {
  checkSameFrontEnd,
  resolveFrontEnd,
  type FrontEndOverride,
  type ResolvedFrontEnd,
} from './frontend-resolve.js';
export {
  discoverModelInfo,
  type BlankIdSource,
  type FeaturesLayout,
  type InputForm,
  type ModelInfo,
  type ModelInfoOverrides,
} from './model-info.js';
export { loadModelTokenizer } from './model-tokenizer.js';
export { readOnnxMetadata } from './onnx-metadata.js';
export { onnxruntimeVersion } from './versions.js';
export { findTokenizer } from './tokenizer-path.js';
export {
  createDecoder,
  defaultBeamWidth,
  Transcriber,
  type CtcDecodeFn,
  type DecodeSettings,
  type TimedWord,
  type Transcript,
  type TranscriberSettings,
} from './transcriber.js';
export {
  chunkSamples,
  DEFAULT_CHUNK_SEC,
  DEFAULT_STRIDE_SEC,
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
export { forwardLong, forwardLongStream } from './forward-long.js';
