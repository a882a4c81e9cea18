import { open, stat } from 'node:fs/promises';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
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

/**
 * The whole content of a small regular file, read synchronously; `undefined` when the path is not
 * a regular file of 1..`maxBytes` bytes or cannot be read (the caller then takes its streaming
 * path, which gives the error). Synchronous on purpose: for a small file the four system calls
 * take microseconds, where four trips through libuv's thread pool took 0.1 ms per file, and the
 * decoding that follows blocks the thread anyway. A FIFO is never opened (it is not a regular file).
 * @param path - The file.
 * @param maxBytes - Largest size read this way.
 * @returns The bytes, or undefined.
 */
export function readSmallFileSync(path: string, maxBytes: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    const info = statSync(path);
    if (!info.isFile() || info.size === 0 || info.size > maxBytes) return undefined;
    // O_NONBLOCK: should the path become a FIFO between stat and open, open must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.size === 0 || opened.size > maxBytes) return undefined;
    const bytes = new Uint8Array(opened.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === bytes.length ? bytes : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
