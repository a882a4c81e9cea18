import type { AsrqError } from '@asrq/core';
import { AudioError } from './errors.js';

// What a file that no registered format recognises looks like, so the error can say how to
// convert it. Its own file: the WAV parser throws the same error and the format registry imports
// the WAV format.

function describeMagic(bytes: Uint8Array): string {
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  if (head === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) !== 'WAVE')
    return 'a RIFF file that is not WAVE';
  if (head === 'OggS') return 'an Ogg stream (Opus/Vorbis/Ogg-FLAC)';
  if (head.startsWith('ID3') || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)) return 'MP3';
  if (head === 'RF64') return 'RF64 WAV';
  if (String.fromCharCode(...bytes.subarray(4, 8)) === 'ftyp') return 'MP4/M4A';
  if (bytes.length === 0) return 'an empty file';
  return 'an unknown format';
}

/**
 * The error for bytes no registered format recognises, saying what they look like and how to convert them.
 * @param head - The file's first bytes.
 * @param name - File name.
 * @returns AsrqError `AUDIO_UNSUPPORTED_FORMAT`.
 */
export function unsupportedAudioFormat(head: Uint8Array, name: string): AsrqError {
  return new AudioError(
    'AUDIO_UNSUPPORTED_FORMAT',
    `${name}: looks like ${describeMagic(head)}, not WAV or FLAC. Convert it first, e.g. ffmpeg -i ${name} -ar 16000 -ac 1 out.flac.`,
    { location: name },
  );
}
