import type { DecodedAudio } from './audio-format.js';
import { findAudioFormat, unsupportedAudioFormat } from './format-registry.js';

/**
 * Decodes WAV or FLAC bytes (any registered format), recognised by their magic bytes (not the file name).
 *
 * @param bytes - The whole file.
 * @param options - `name`: file name used in error messages.
 * @returns Sample rate, bit depth, format and one Float32Array per channel in [-1, 1].
 * @throws AsrqError `AUDIO_UNSUPPORTED_FORMAT` for anything but WAV/FLAC (saying what it looks like
 *   and how to convert it); `AUDIO_DECODE_FAILED` for truncated or corrupt files.
 * @example
 * ```ts
 * const audio = decodeAudio(await readFile('a.flac'), { name: 'a.flac' });
 * const mono16k = resample(downmix(audio), audio.sampleRate, 16000);
 * ```
 */
export function decodeAudio(bytes: Uint8Array, options: { name?: string } = {}): DecodedAudio {
  const name = options.name ?? 'input';
  const format = findAudioFormat(bytes);
  if (!format) throw unsupportedAudioFormat(bytes, name);
  return format.decode(bytes, name);
}
