import type { AudioFormat } from './audio-format.js';
import { flacFormat } from './formats/flac-format.js';
import { wavFormat } from './formats/wav-format.js';

const formats = new Map<string, AudioFormat>();

/**
 * Adds an audio format to the registry (or replaces one of the same name). Every reader
 * (`decodeAudio`, `probeAudio`, `readAudio`, `openAudioStream`, corpus listing) asks the registry.
 * @param format - Its definition.
 * @example
 * ```ts no-run
 * registerAudioFormat(myFormat);
 * decodeAudio(bytes); // now recognises myFormat's files by their magic bytes
 * ```
 */
export function registerAudioFormat(format: AudioFormat): void {
  formats.set(format.name, format);
}

// The built-in formats: adding one is its file in formats/ plus one line here (and its name in AudioFormatName).
registerAudioFormat(flacFormat);
registerAudioFormat(wavFormat);

/**
 * The registered formats, in registration order (the order in which they are sniffed).
 * @returns The formats.
 */
export function audioFormats(): AudioFormat[] {
  return [...formats.values()];
}

/**
 * The format registered under a name.
 * @param name - Format name.
 * @returns The format, or undefined when none has that name.
 */
export function getAudioFormat(name: string): AudioFormat | undefined {
  return formats.get(name);
}

/**
 * The format whose magic bytes a file starts with.
 * @param head - The file's first bytes (64 KiB is plenty for every built-in format).
 * @returns The format, or undefined when none recognises the bytes.
 * @example
 * ```ts
 * findAudioFormat(encodeWav([new Float32Array(8)], 16000))?.name; // 'wav'
 * ```
 */
export function findAudioFormat(head: Uint8Array): AudioFormat | undefined {
  for (const format of formats.values()) if (format.sniff(head)) return format;
  return undefined;
}

/**
 * The format a file name extension stands for (corpus folders are listed by extension).
 * @param extension - With the dot, any case: `.flac`, `.WAV`.
 * @returns The format, or undefined.
 */
export function audioFormatOfExtension(extension: string): AudioFormat | undefined {
  const ext = extension.toLowerCase();
  for (const format of formats.values()) if (format.extensions.includes(ext)) return format;
  return undefined;
}

/**
 * Every extension a registered format lists.
 * @returns Lower-case extensions with the dot, e.g. `['.flac', '.wav']`.
 */
export function audioFileExtensions(): string[] {
  return audioFormats().flatMap((format) => format.extensions);
}

export { unsupportedAudioFormat } from './unsupported-format.js';
