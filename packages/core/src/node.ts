/**
 * Node-only helpers of asrq (file system): JSON-lines journals and directory locks.
 * @packageDocumentation
 */
export { openJsonlAppender, readJsonl, type JsonlAppender, type JsonlContents } from './jsonl.js';
export { checkWritableDir, checkWritableFile, type WritableOptions } from './writable-dir.js';
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: the data goes to a temporary file in the same directory, is
 * flushed to disk, then renamed over the target. A crash leaves either the old file or the
 * new one, never half of one.
 *
 * @param path - Target path; its directory is created if missing.
 * @param data - Contents: a string, bytes, or chunks written one after the other (for files
 *   larger than one buffer may be, such as multi-gigabyte ONNX external data).
 * @returns Resolves when the file is in place.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<Uint8Array>): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const chunk of data) await writeFully(handle, chunk);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
/** Writes all of `chunk` at the handle's position (one write call may write less, e.g. above 2 GiB). */
async function writeFully(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let done = 0;
  while (done < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, done, Math.min(chunk.byteLength - done, 1 << 30));
    done += bytesWritten;
  }
}

export {
  lockDirectory,
  type DirLock,
  type LockDirectoryOptions,
  type LockOwner,
  type StaleLockNote,
} from './dir-lock.js';
export { PARENT_FD_ENV, stopWithParent } from './parent-watch.js';
