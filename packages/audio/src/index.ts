/**
 * Audio for asrq: WAV and FLAC decoding, band-limited resampling to the model rate,
 * LibriSpeech and manifest corpora, and the LibriSpeech downloader.
 * File and network access (readAudio, probeAudio, openCorpus, downloadLibriSpeech) is
 * Node-only; `@asrq/audio/browser` exports the rest without any Node import.
 * @packageDocumentation
 */
export * from './browser.js';
export type { AudioErrorCode } from './errors.js';
export { probeAudio, readAudio, type AudioInfo } from './read-audio.js';
export { openAudioStream, type AudioStream, type AudioStreamOptions } from './stream-audio.js';
export { StreamResampler } from './stream-resampler.js';
export { iterateAudio, openCorpus, type Corpus, type CorpusWarning, type OpenCorpusOptions } from './corpus.js';
export {
  checkBaseUrl,
  checkMd5,
  downloadLibriSpeech,
  LIBRISPEECH_BASE_URL,
  LIBRISPEECH_MD5,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
} from './download.js';
export { extractArchiveSafely, unsafeEntryReason } from './extract.js';
