/**
 * The browser entry of `@asrq/runtime`: ONNX CTC models in onnxruntime-web (WebAssembly) on the
 * same model core as the Node runtime: interface discovery through the model-family registry,
 * front ends, feeds, log-prob extraction, short-clip padding, long audio in windows, and decoders.
 * No Node API is imported; files arrive as bytes (fetched, dropped, recorded).
 * @packageDocumentation
 */
export { AsrqRuntimeError, runtimeErrorCodes } from '../errors.js';
export {
  configureWasm,
  WebCtcModel,
  type WasmSettings,
  type WebForwardResult,
  type WebLoadOptions,
} from './web-ctc-model.js';
export { decodeAudioBytes, lmFromBytes, tokenizerFromBytes } from './web-assets.js';
// Decoder selection lives in @asrq/ctc (its decoder registry); re-exported so a page needs one import.
export {
  createDecoder,
  defaultBeamWidth,
  type CtcDecodeFn,
  type DecodeSettings,
  type ScoredText,
} from '@asrq/ctc/browser';
export { discoverModelInfo, type DiscoverOptions } from '../model-info.js';
export type { ModelInfo, ModelInfoOverrides } from '../types.js';
export { forwardLong, type WindowedModel } from '../forward-long.js';
export {
  frameToSec,
  type ChunkOptions,
  type LongForwardOptions,
  type LongForwardResult,
} from '../long-audio.js';
export { getModelFamily, modelFamilies, registerModelFamily } from '../families/registry.js';
export type { ModelFamily } from '../families/family.js';
export { parseOnnxMetadata } from '../onnx-metadata-walk.js';
export { DEFAULT_CHUNK_SEC, DEFAULT_STRIDE_SEC, RUNTIME_DEFAULTS } from '../defaults.js';
