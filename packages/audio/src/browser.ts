/**
 * The browser-safe part of @asrq/audio: decoding WAV/FLAC bytes, the audio format registry,
 * downmixing, resampling, WAV encoding and item selection. No Node API is imported from here.
 * @packageDocumentation
 */
export { AudioError, audioErrorCodes } from './errors.js';
export { decodeAudio } from './decode.js';
export { downmix } from './downmix.js';
export {
  audioFileExtensions,
  audioFormatOfExtension,
  audioFormats,
  findAudioFormat,
  getAudioFormat,
  registerAudioFormat,
  unsupportedAudioFormat,
} from './format-registry.js';
export type {
  AudioFileReader,
  DecodedAudio,
  AudioFormat,
  AudioFormatName,
  FormatStreamOptions,
  ReopenAudioFile,
} from './audio-format.js';
export {
  decodeFlacFloat,
  decodeFlacSamples,
  isFlac,
  parseFlacHeader,
  type FlacFloatSamples,
  type FlacSamples,
} from './flac-decoder.js';
export type { FlacStreamInfo } from './flac-stream-info.js';
export { decodeWav, encodeWav, isWav, parseWavHeader, type WavHeader } from './wav.js';
export { resample } from './resample.js';
export { selectItems, type CorpusItem, type SelectOptions } from './select-items.js';
export { AUDIO_DEFAULTS } from './defaults.js';
