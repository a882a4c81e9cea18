import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createError, type ErrorCodeSpec } from './error-spec.js';

/** What to do about a file-system error code when an output folder cannot be written. */
function advice(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'you may not write there: check its permissions, or choose another folder';
    case 'EROFS':
      return 'the file system is read-only: choose another folder';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full: free some space, or choose another folder';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way of the folder: choose another path';
    case 'ENAMETOOLONG':
      return 'the path is too long: choose a shorter one';
    default:
      return 'choose another folder';
  }
}

/** Options of {@link checkWritableDir} and {@link checkWritableFile}. */
export interface WritableOptions {
  /** How the folder or file is named in the message. */
  what: string;
  /** Error code to throw, bound to the caller's subclass. */
  code: ErrorCodeSpec;
  /** The API argument that sets the path, carried in the error's `argumentNames`. */
  argument?: string;
}

/**
 * Checks, before any work starts, that files can be written in a folder: creates it (and its
 * parents) when missing, then creates and removes a small probe file in it. A run that would
 * only fail at the end (after a benchmark, a grid search, a download) fails at once instead.
 * @param dir - The output folder.
 * @param options - `what`: how the folder is named in the message (e.g. `--out` in a CLI, or the
 *   API argument in backticks with `argument` set to it, so a CLI can show its flag); `code`: error
 *   code to throw, bound to the caller's subclass.
 * @throws AsrqError `code` naming the folder, the system's reason and what to do.
 * @example
 * ```ts no-run
 * await checkWritableDir('results', { what: '--out', code: errorCode(CliError, 'CLI_OUTPUT_UNWRITABLE') });
 * ```
 */
export async function checkWritableDir(dir: string, options: WritableOptions): Promise<void> {
  const fail = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code;
    throw createError(
      options.code,
      `${options.what} ${dir}: cannot write there (${code ?? (error as Error).message}); ${advice(code)}.`,
      { location: dir, cause: error, ...(options.argument ? { argument: options.argument } : {}) },
    );
  };
  const info = await stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) fail(Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }));
  if (info === undefined) await mkdir(dir, { recursive: true }).catch(fail);
  const probe = join(dir, `.asrq-write-probe-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx');
    try {
      await handle.write(new Uint8Array(1));
    } finally {
      await handle.close();
    }
  } catch (error) {
    fail(error);
  } finally {
    await rm(probe, { force: true });
  }
}

/**
 * {@link checkWritableDir} for an output file: its folder must be writable, and the path itself
 * must not be a folder.
 * @param path - The output file.
 * @param options - As {@link checkWritableDir} (`what` names the file, e.g. `-o`).
 * @throws AsrqError `code` when the path is a folder or its folder cannot be written.
 */
export async function checkWritableFile(path: string, options: WritableOptions): Promise<void> {
  if ((await stat(path).catch(() => undefined))?.isDirectory())
    throw createError(options.code, `${options.what} ${path} is a folder; give the path of the file to write.`, {
      location: path,
      ...(options.argument ? { argument: options.argument } : {}),
    });
  await checkWritableDir(dirname(path), options);
}
