import { open } from 'node:fs/promises';
import type { AudioFileReader } from './audio-format.js';

/**
 * Opens a file for a format to read, Node side of {@link AudioFileReader}. Throws what
 * `fs.open` and `stat` throw; callers map it with `fileError`.
 * @param path - The file.
 * @returns The reader (close it).
 */
export async function openAudioFile(path: string): Promise<AudioFileReader> {
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
