/**
 * Node-only helpers of asrq (file system): JSON-lines journals and directory locks.
 * @packageDocumentation
 */
export { openJsonlAppender, readJsonl, type JsonlAppender, type JsonlContents } from './jsonl.js';
export { checkWritableDir, checkWritableFile } from './writable-dir.js';
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: the data goes to a temporary file in the same directory, is
 * flushed to disk, then renamed over the target. A crash leaves either the old file or the
 * new one, never half of one.
 *
 * @param path - Target path; its directory is created if missing.
 * @param data - Contents.
 * @returns Resolves when the file is in place.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
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
export {
  lockDirectory,
  type DirLock,
  type LockDirectoryOptions,
  type LockOwner,
  type StaleLockNote,
} from './dir-lock.js';
