import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { BenchError } from './errors.js';

/**
 * Files up to this size are hashed whole (every model and audio file in practice: sha256
 * streams at several hundred MB/s, so a 300 MB model costs about a second). Larger files are
 * hashed on their first and last {@link EDGE_BYTES} plus their size, and their mtime must match
 * too, since an edit in the middle would escape that hash.
 */
export const FULL_HASH_LIMIT = 512 * 1024 * 1024;
/** Bytes hashed at each end of a file larger than {@link FULL_HASH_LIMIT}. */
export const EDGE_BYTES = 16 * 1024 * 1024;

/** Identity of a file's contents at one moment. */
export interface FileFingerprint {
  size: number;
  /** Modification time, ms since the epoch. */
  mtimeMs: number;
  /** Hex sha256 of the whole file, or (`partial`) of its size, first and last {@link EDGE_BYTES}. */
  sha256: string;
  /** True when only the ends were hashed (file larger than {@link FULL_HASH_LIMIT}). */
  partial?: boolean;
}

/**
 * Fingerprints a file: size, mtime and a sha256 of its contents (see {@link FULL_HASH_LIMIT}).
 * @param path - The file.
 * @returns Its fingerprint.
 * @throws AsrqError `BENCH_INPUT_UNREADABLE` naming the file when it cannot be read.
 */
export async function fingerprintFile(path: string): Promise<FileFingerprint> {
  try {
    const info = await stat(path);
    const hash = createHash('sha256');
    if (info.size <= FULL_HASH_LIMIT) {
      await pipeline(createReadStream(path), hash);
      return { size: info.size, mtimeMs: info.mtimeMs, sha256: hash.digest('hex') };
    }
    const handle = await open(path, 'r');
    try {
      const edge = Buffer.alloc(EDGE_BYTES);
      hash.update(String(info.size));
      for (const position of [0, info.size - EDGE_BYTES]) {
        const { bytesRead } = await handle.read(edge, 0, EDGE_BYTES, position);
        hash.update(edge.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    return { size: info.size, mtimeMs: info.mtimeMs, sha256: hash.digest('hex'), partial: true };
  } catch (error) {
    throw new BenchError(
      'BENCH_INPUT_UNREADABLE',
      `${path}: cannot read it to fingerprint it (${(error as Error).message}).`,
      { location: path, cause: error },
    );
  }
}

/**
 * Whether two fingerprints describe the same contents: equal size and hash, and for files
 * hashed only at their ends, equal mtime too. A whole-file hash alone decides otherwise, so a
 * copy or a `touch` of an unchanged file does not count as a change.
 * @param before - Recorded fingerprint.
 * @param now - Current fingerprint.
 * @returns True when unchanged.
 */
export function sameContents(before: FileFingerprint, now: FileFingerprint): boolean {
  if (before.size !== now.size || before.sha256 !== now.sha256 || Boolean(before.partial) !== Boolean(now.partial))
    return false;
  return !now.partial || before.mtimeMs === now.mtimeMs;
}

/**
 * Describes how a file changed, for messages.
 * @param before - Recorded fingerprint.
 * @param now - Current fingerprint.
 * @returns E.g. `size 1200 -> 1300 bytes, modified 2026-01-02T03:04:05.000Z`.
 */
export function describeChange(before: FileFingerprint, now: FileFingerprint): string {
  const parts: string[] = [];
  if (before.size !== now.size) parts.push(`size ${before.size} -> ${now.size} bytes`);
  else if (before.sha256 !== now.sha256) parts.push('same size, different contents');
  if (before.mtimeMs !== now.mtimeMs) parts.push(`modified ${new Date(now.mtimeMs).toISOString()}`);
  return parts.join(', ');
}
