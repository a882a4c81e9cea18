import { mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { AsrqError } from '@asrq/core';
import { extract, type ReadEntry } from 'tar';

const allowedTypes = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/**
 * Why an archive entry may not be extracted, or undefined when it is safe: absolute paths,
 * `..` segments, links whose target leaves the archive, and device or FIFO entries.
 * @param entry - Path, type and link target of a tar entry.
 * @returns A reason, or undefined.
 */
export function unsafeEntryReason(entry: { path: string; type: string; linkpath?: string }): string | undefined {
  const path = entry.path.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path';
  if (path.split('/').includes('..')) return 'path contains ".."';
  if (!allowedTypes.has(entry.type)) return `${entry.type} entries are not allowed`;
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
    const link = (entry.linkpath ?? '').replace(/\\/g, '/');
    if (link.startsWith('/') || /^[A-Za-z]:/.test(link)) return `link to absolute path ${link}`;
    // Symbolic links resolve from the entry's directory, hard links from the archive root.
    const from = entry.type === 'SymbolicLink' ? posix.dirname(path) : '.';
    const resolved = posix.normalize(posix.join(from, link));
    if (resolved === '..' || resolved.startsWith('../')) return `link to ${link} points outside the archive`;
  }
  return undefined;
}

/**
 * Extracts a .tar.gz into `dir` (created), refusing unsafe entries (see {@link unsafeEntryReason}).
 * @param archive - Path of the .tar.gz.
 * @param dir - Destination directory; on failure it may hold partial output for the caller to remove.
 * @param onEntries - Called every 100 entries and at the end with the count so far.
 * @returns The number of entries extracted.
 * @throws AsrqError `ARCHIVE_UNSAFE_ENTRY` naming the entry; `ARCHIVE_CORRUPT` when the gzip/tar data is damaged.
 */
export async function extractArchiveSafely(archive: string, dir: string, onEntries?: (entries: number) => void): Promise<number> {
  await mkdir(dir, { recursive: true });
  let entries = 0;
  let unsafe: { path: string; reason: string } | undefined;
  try {
    await extract({
      file: archive,
      cwd: dir,
      strict: true,
      preserveOwner: false,
      filter: (_path, entry) => {
        const readEntry = entry as ReadEntry;
        const reason = unsafeEntryReason({
          path: readEntry.path,
          type: readEntry.type,
          ...(readEntry.linkpath ? { linkpath: readEntry.linkpath } : {}),
        });
        if (reason !== undefined) {
          unsafe ??= { path: readEntry.path, reason };
          return false;
        }
        if (unsafe !== undefined) return false;
        entries++;
        if (entries % 100 === 0) onEntries?.(entries);
        return true;
      },
    });
  } catch (error) {
    if (unsafe === undefined) {
      throw new AsrqError(
        'ARCHIVE_CORRUPT',
        `${archive}: the archive is damaged and cannot be extracted (${(error as Error).message}). Delete it and download it again.`,
        { location: archive, cause: error },
      );
    }
  }
  if (unsafe !== undefined) {
    throw new AsrqError(
      'ARCHIVE_UNSAFE_ENTRY',
      `${archive}: refusing to extract entry "${unsafe.path}" (${unsafe.reason}). The archive is not a genuine LibriSpeech archive; check the mirror.`,
      { location: `${archive}:${unsafe.path}` },
    );
  }
  onEntries?.(entries);
  return entries;
}
