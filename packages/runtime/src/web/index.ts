/**
 * The browser entry of `@asrq/runtime`: ONNX CTC models in onnxruntime-web (WebAssembly) with the
 * Node runtime's interface discovery, front ends, feeds, log-prob extraction and decoders. No
 * Node API is imported; files arrive as bytes (fetched, dropped, recorded).
 * @packageDocumentation
 */
export { RuntimeError, runtimeErrorCodes } from '../errors.js';
export {
  configureWasm,
  WebCtcModel,
  type WasmSettings,
  type WebForwardResult,
  type WebLoadOptions,
} from './web-ctc-model.js';
export { decodeAudioBytes, lmFromBytes, tokenizerFromBytes } from './web-assets.js';
export { createDecoder, defaultBeamWidth, type CtcDecodeFn, type DecodeSettings, type ScoredText } from '../decoder.js';
export { discoverModelInfo, type ModelInfo, type ModelInfoOverrides } from '../model-info.js';
export { parseOnnxMetadata } from '../onnx-metadata-walk.js';
