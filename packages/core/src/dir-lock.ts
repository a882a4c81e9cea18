import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, open, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CoreError } from './core-errors.js';
import { createError, errorCode, type ErrorCodeSpec } from './error-spec.js';

/** What a lock file holds: who took it, where, and when. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Random token telling this holder apart from a later one with a reused pid. */
  token: string;
}

/** A stale lock (its process is gone) that was taken over. */
export interface StaleLockNote {
  status: 'stale-lock';
  path: string;
  previous: LockOwner | undefined;
}

/** A held lock; release it when done (also released when the process exits). */
export interface DirLock {
  path: string;
  owner: LockOwner;
  release(): Promise<void>;
}

/** Options of {@link lockDirectory}. */
export interface LockDirectoryOptions {
  /** Lock file name inside the directory (default `.asrq.lock`). */
  name?: string;
  /**
   * Error code when the directory is locked by a live process (default `DIR_LOCKED`), bare or bound
   * to the caller's subclass (e.g. `errorCode(BenchError, 'BENCH_OUT_LOCKED')`).
   */
  code?: string | ErrorCodeSpec;
  /** What the directory is, for messages (e.g. `the output folder`). */
  what?: string;
  /**
   * The API argument that sets the directory (e.g. `outDir`): the message names it in backticks
   * and the error carries it in `argumentNames`, so a CLI can show its flag instead.
   */
  argument?: string;
  /** Told when a stale lock of a dead process is taken over. */
  onStale?: (note: StaleLockNote) => void;
}

/** A lock file younger than this that cannot be parsed is being written, not stale. */
const TORN_GRACE_MS = 10_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<{ owner?: LockOwner; ageMs: number } | undefined> {
  let text: string;
  let ageMs: number;
  try {
    [text, ageMs] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => Date.now() - s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (Number.isInteger(owner.pid) && typeof owner.hostname === 'string') return { owner, ageMs };
  } catch {
    // torn or foreign content: judged by age below
  }
  return { ageMs };
}

/**
 * Takes an exclusive lock on a directory with a lock file created atomically (O_EXCL), holding
 * the pid, host name and start time. A lock whose process is no longer alive on this host (it
 * was killed) is stale and taken over, with a note through `onStale`. The lock is released by
 * `release()`, and also when the process exits while holding it.
 *
 * Two processes taking over the same stale lock at the same instant can both succeed; a live
 * lock can never be taken.
 *
 * @param dir - Directory to lock (created when missing; removed again on release if still empty).
 * @param options - Lock file name, error code, and the stale-lock callback.
 * @returns The held lock.
 * @throws AsrqError `options.code` (default CoreError `DIR_LOCKED`) naming the pid and host of the live holder.
 * @example
 * ```ts
 * const lock = await lockDirectory(outDir, { name: 'results.lock', code: 'BENCH_OUT_LOCKED', argument: 'outDir' });
 * try { await work(); } finally { await lock.release(); }
 * ```
 */
export async function lockDirectory(dir: string, options: LockDirectoryOptions = {}): Promise<DirLock> {
  const path = join(dir, options.name ?? '.asrq.lock');
  const created = (await mkdir(dir, { recursive: true })) !== undefined;
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; ; attempt++) {
    if (await createLockFile(path, owner, attempt >= 5)) break;
    await removeStaleLock(dir, path, owner, options);
  }
  return heldLock(dir, path, owner, created);
}

/**
 * Creates the lock file atomically with `owner` in it.
 * @returns False when it already exists (unless this is the last attempt: then that EEXIST error is thrown).
 */
async function createLockFile(path: string, owner: LockOwner, lastAttempt: boolean): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || lastAttempt) throw error;
    return false;
  }
}

/**
 * Removes the existing lock file at `path` when it is stale (its process is gone from this host, or
 * it is torn and old), telling `onStale`; does nothing when it was released meanwhile.
 * @throws AsrqError `options.code` when a live process (or one on another host) holds it.
 */
async function removeStaleLock(
  dir: string,
  path: string,
  owner: LockOwner,
  options: LockDirectoryOptions,
): Promise<void> {
  const held = await readOwner(path);
  if (held === undefined) return; // released meanwhile
  const previous = held.owner;
  const stale =
    previous === undefined
      ? held.ageMs > TORN_GRACE_MS
      : previous.hostname === owner.hostname && !isAlive(previous.pid);
  if (!stale) {
    const who = previous
      ? `process ${previous.pid} on ${previous.hostname}, started ${previous.startedAt}`
      : 'a process that is starting right now';
    const remote = previous !== undefined && previous.hostname !== owner.hostname;
    throw createError(
      options.code ?? errorCode(CoreError, 'DIR_LOCKED'),
      `${dir} is in use by ${who} (lock file ${path}). Wait for it to finish, or use another ${options.argument ? `\`${options.argument}\`` : (options.what ?? 'directory')}.` +
        (remote ? ` If that run is no longer going on ${previous.hostname}, delete ${path}.` : ''),
      { location: path, ...(options.argument ? { argument: options.argument } : {}) },
    );
  }
  options.onStale?.({ status: 'stale-lock', path, previous });
  await rm(path, { force: true });
}

/** The lock just taken: released by `release()` (once), or when the process exits while holding it. */
function heldLock(dir: string, path: string, owner: LockOwner, created: boolean): DirLock {
  const release = (): void => {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  // A process that exits without releasing (process.exit in a signal handler) still frees it.
  process.once('exit', release);
  let released = false;
  return {
    path,
    owner,
    async release() {
      if (released) return;
      released = true;
      process.removeListener('exit', release);
      const held = await readOwner(path).catch(() => undefined);
      if (held?.owner?.token === owner.token) await rm(path, { force: true });
      if (created) await rmdir(dir).catch(() => undefined); // only when nothing else was written there
    },
  };
}
