import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { AudioFileReader } from './audio-format.js';
import { AudioError } from './errors.js';

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens a file for a format to read, Node side of {@link AudioFileReader}. Only regular files
 * are opened: a FIFO would block forever (opening it waits for a writer) and a pipe such as
 * `/dev/stdin` cannot be read twice, as probing then decoding does. Throws what `fs.stat`/`open`
 * throw (callers map it with `fileError`), or an AudioError.
 * @param path - The file.
 * @returns The reader (close it).
 * @throws AsrqError `AUDIO_READ_FAILED` for a pipe, device or socket; `AUDIO_EMPTY` for a 0-byte file.
 */
export async function openAudioFile(path: string): Promise<AudioFileReader> {
  const info = await stat(path);
  if (!info.isFile() && !info.isDirectory())
    throw new AudioError(
      'AUDIO_READ_FAILED',
      `${path}: is ${kindOf(info)}, not an audio file; asrq reads audio from regular files only (it reads them more than once). Save the audio to a .wav or .flac file first.`,
      { location: path },
    );
  if (info.isFile() && info.size === 0)
    throw new AudioError('AUDIO_EMPTY', `${path}: the file is empty (0 bytes), so it has no audio.`, {
      location: path,
    });
  const handle = await open(path, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    path,
    size,
    read: async (into, offset, length, position) => (await handle.read(into, offset, length, position)).bytesRead,
    readAll: () => handle.readFile(),
    close: () => handle.close(),
  };
}

/**
 * The first bytes of a file, enough for every format's magic bytes and most headers.
 * @param file - An open file.
 * @returns Up to 64 KiB.
 */
export async function readHead(file: AudioFileReader): Promise<Uint8Array> {
  const head = new Uint8Array(Math.min(file.size, 65536));
  await file.read(head, 0, head.length, 0);
  return head;
}
