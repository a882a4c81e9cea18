import type { AsrqError } from '@asrq/core';
import { AudioError } from './errors.js';

/**
 * Maps a file-system error to the audio package's error codes.
 * @param path - The file.
 * @param error - What fs threw.
 * @returns The error to throw.
 */
export function fileError(path: string, error: unknown): AsrqError {
  // Already one of ours (a pipe refused, an empty file): keep what it says.
  if (AudioError.isInstance(error)) return error;
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT')
    return new AudioError('AUDIO_NOT_FOUND', `${path}: no such audio file.`, { location: path, cause: error });
  if (code === 'EISDIR')
    return new AudioError('AUDIO_NOT_FOUND', `${path}: is a directory, not an audio file.`, {
      location: path,
      cause: error,
    });
  return new AudioError('AUDIO_READ_FAILED', `${path}: cannot read the file (${code ?? String(error)}).`, {
    location: path,
    cause: error,
  });
}
