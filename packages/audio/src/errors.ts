import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/audio`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const audioErrorCodes = {
  ARCHIVE_CORRUPT: { exit: 'input', summary: 'A downloaded archive is damaged and cannot be extracted.' },
  ARCHIVE_EXTRACT_FAILED: {
    exit: 'input',
    summary: 'The extracted files cannot be written into the target directory.',
  },
  ARCHIVE_UNSAFE_ENTRY: {
    exit: 'input',
    summary: 'An archive entry would be written outside the target directory (or is a link); nothing is extracted.',
  },
  AUDIO_BAD_SAMPLES: {
    exit: 'input',
    summary: 'A float WAV holds NaN, infinite or far out-of-range samples; names the file and the first one.',
  },
  AUDIO_BAD_SAMPLE_RATE: { exit: 'input', summary: 'A sample rate is not a positive number of Hz.' },
  AUDIO_DECODE_FAILED: { exit: 'input', summary: 'A WAV or FLAC file is damaged and cannot be decoded.' },
  AUDIO_EMPTY: { exit: 'input', summary: 'An audio file has no samples.' },
  AUDIO_NOT_FOUND: { exit: 'input', summary: 'An audio file does not exist.' },
  AUDIO_READ_FAILED: { exit: 'input', summary: 'An audio file exists but cannot be read.' },
  AUDIO_STREAM_FINISHED: { exit: 'input', summary: 'An audio stream was read a second time.' },
  AUDIO_UNSUPPORTED_FORMAT: { exit: 'input', summary: 'A file is neither WAV nor FLAC.' },
  CORPUS_BAD_MANIFEST: {
    exit: 'input',
    summary: 'A corpus manifest (JSON lines) is malformed; names the line and field.',
  },
  CORPUS_BAD_SELECTION: {
    exit: 'input',
    summary: 'An utterance selection option (count, offset) is not a non-negative integer.',
  },
  CORPUS_BAD_TRANSCRIPT: { exit: 'input', summary: 'A transcript line has an utterance id but no text.' },
  CORPUS_DUPLICATE_ID: { exit: 'input', summary: 'An utterance id occurs twice in a corpus.' },
  CORPUS_DURATION_UNKNOWN: {
    exit: 'input',
    summary: 'Filtering by duration needs durations the corpus was opened without.',
  },
  CORPUS_EMPTY: { exit: 'input', summary: 'A corpus directory or manifest has no utterances.' },
  CORPUS_MISSING_AUDIO: { exit: 'input', summary: 'A transcript line names an utterance whose audio file is missing.' },
  CORPUS_MISSING_TRANSCRIPT: { exit: 'input', summary: 'An audio file has no transcript line.' },
  CORPUS_NOT_FOUND: { exit: 'input', summary: 'No corpus directory or manifest at the given path.' },
  DOWNLOAD_BAD_MD5: { exit: 'usage', summary: 'An expected MD5 (--md5) is not 32 hexadecimal digits.' },
  DOWNLOAD_BAD_SPLIT: { exit: 'input', summary: 'A LibriSpeech split name is unknown.' },
  DOWNLOAD_BAD_URL: { exit: 'usage', summary: 'A mirror base URL (--mirror) is not an http(s) URL.' },
  DOWNLOAD_CHECKSUM_MISMATCH: { exit: 'input', summary: "A downloaded archive's MD5 differs from the expected one." },
  DOWNLOAD_FAILED: { exit: 'input', summary: 'A download failed (network or HTTP error); running again resumes it.' },
} as const satisfies ErrorCodeTable;

/** A code of {@link audioErrorCodes}. */
export type AudioErrorCode = keyof typeof audioErrorCodes;

const marker = Symbol.for('asrq.error.AudioError');

/**
 * Errors of audio decoding, corpora, downloads and archive extraction. `code` is one of {@link audioErrorCodes}.
 *
 * @example
 * ```ts
 * import { AudioError } from '@asrq/audio';
 * const error = new AudioError('AUDIO_EMPTY', 'utt.wav: the file has no audio.');
 * console.log(AudioError.isInstance(error), error.name, error.code);
 * ```
 */
export class AudioError extends AsrqError<keyof typeof audioErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'AudioError';

  /**
   * True for a AudioError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a AudioError.
   */
  static override isInstance(value: unknown): value is AudioError {
    return AsrqError.hasMarker(value, marker);
  }
}
