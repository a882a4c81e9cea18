import { mkdir, readdir, realpath } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import { extract, type ReadEntry } from 'tar';
import { ArchiveLinks, joinRaw } from './archive-links.js';
import { AudioError } from './errors.js';

const allowedTypes = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** More symbolic links than any corpus archive has (LibriSpeech's have none); bounds the checking work. */
const MAX_SYMLINKS = 1000;

/**
 * Why an archive entry may not be extracted, or undefined when it is safe: absolute paths,
 * `..` segments, device or FIFO entries, and links whose target leaves the archive. With
 * `links` (the symbolic links extracted before this entry), a link target is resolved through
 * them as the file system will, so a chain such as `a/s1 -> ..`, `a/s2 -> s1/..` is refused.
 * @param entry - Path, type and link target of a tar entry.
 * @param links - Links extracted so far; omit to judge the entry on its own text.
 * @returns A reason, or undefined.
 */
export function unsafeEntryReason(entry: { path: string; type: string; linkpath?: string }, links = new ArchiveLinks()): string | undefined {
  const path = entry.path.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path';
  if (path.split('/').includes('..')) return 'path contains ".."';
  if (!allowedTypes.has(entry.type)) return `${entry.type} entries are not allowed`;
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
    const link = (entry.linkpath ?? '').replace(/\\/g, '/');
    if (link.startsWith('/') || /^[A-Za-z]:/.test(link)) return `link to absolute path ${link}`;
    // Symbolic links resolve from the entry's directory, hard links from the archive root.
    const from = entry.type === 'SymbolicLink' ? posix.dirname(path) : '.';
    if (links.resolve(joinRaw(from, link)) === undefined) return `link to ${link} points outside the archive`;
  }
  return undefined;
}

/** A problem node-tar reported, as a warning (non-strict mode, so extraction drains fully). */
interface TarProblem {
  code: string;
  message: string;
  path?: string;
}

function tarProblem(code: string, message: string | Error, data: { code?: unknown; entry?: { path?: unknown }; path?: unknown; symlink?: unknown }): TarProblem {
  const path = data.symlink ?? data.entry?.path ?? data.path;
  return {
    code: typeof data.code === 'string' ? data.code : code,
    message: typeof message === 'string' ? message : message.message,
    ...(typeof path === 'string' ? { path } : {}),
  };
}

/**
 * Checks the extracted tree on disk: every symbolic link must resolve to an existing path
 * inside `dir`. A second line of defence behind the entry filter, using the real file system.
 */
async function escapingLinkOnDisk(dir: string): Promise<{ path: string; reason: string } | undefined> {
  const root = await realpath(dir);
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isSymbolicLink()) {
        const name = relative(dir, path).split(sep).join('/');
        let target: string;
        try {
          target = await realpath(path);
        } catch {
          return { path: name, reason: 'the link points nowhere (dangling or looping)' };
        }
        if (target !== root && !target.startsWith(root + sep)) return { path: name, reason: 'the link leads outside the archive' };
      }
    }
  }
  return undefined;
}

/**
 * Extracts a .tar.gz into `dir` (created), refusing unsafe entries (see {@link unsafeEntryReason}).
 * Symbolic links are resolved through the links extracted before them; any link that leads
 * outside `dir` (checked again on disk after extraction) makes the whole archive refused.
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
  const links = new ArchiveLinks();
  let symlinks = 0;
  const refuse = (path: string, reason: string): false => {
    unsafe ??= { path, reason };
    return false;
  };
  let problem: TarProblem | undefined;
  try {
    // Not strict: node-tar then reports problems as warnings and keeps draining the archive
    // (the filter refuses everything after the first one), so when the promise settles no
    // write is still under way and the caller can remove `dir` without racing it.
    await extract({
      file: archive,
      cwd: dir,
      strict: false,
      preserveOwner: false,
      onwarn: (code, message, data) => {
        if (code !== 'TAR_ENTRY_INFO') problem ??= tarProblem(code, message, data as Parameters<typeof tarProblem>[2]);
      },
      filter: (_path, entry) => {
        if (unsafe !== undefined || problem !== undefined) return false;
        const readEntry = entry as ReadEntry;
        const reason = unsafeEntryReason(
          { path: readEntry.path, type: readEntry.type, ...(readEntry.linkpath ? { linkpath: readEntry.linkpath } : {}) },
          links,
        );
        if (reason !== undefined) return refuse(readEntry.path, reason);
        if (readEntry.type === 'SymbolicLink') {
          if (++symlinks > MAX_SYMLINKS) return refuse(readEntry.path, `more than ${MAX_SYMLINKS} symbolic links`);
          links.add(readEntry.path, readEntry.linkpath ?? '');
          // A new link can change where an earlier one leads (s1 -> x/.. before x -> ..).
          const escaping = links.firstEscaping();
          if (escaping) return refuse(escaping.path, `link to ${escaping.target} points outside the archive once ${readEntry.path} -> ${readEntry.linkpath} is followed`);
        } else links.remove(readEntry.path);
        entries++;
        if (entries % 100 === 0) onEntries?.(entries);
        return true;
      },
    });
  } catch (error) {
    // Unrecoverable (a damaged gzip stream, an unreadable file): node-tar stops parsing.
    problem ??= tarProblem('TAR_ABORT', error as Error, error as Parameters<typeof tarProblem>[2]);
  }
  if (unsafe === undefined && problem !== undefined) {
    const where = problem.path === undefined ? '' : ` at "${relative(dir, resolve(dir, problem.path)) || problem.path}"`;
    if (problem.code === 'TAR_SYMLINK_ERROR' || problem.code === 'TAR_ENTRY_ERROR') {
      const reason = problem.code === 'TAR_SYMLINK_ERROR' ? 'a later entry would be written through this symbolic link' : problem.message;
      unsafe = { path: problem.path === undefined ? '?' : relative(dir, resolve(dir, problem.path)), reason };
    } else if (/^(TAR_|Z_)/.test(problem.code)) {
      throw new AudioError(
        'ARCHIVE_CORRUPT',
        `${archive}: the archive is damaged and cannot be extracted (${problem.message}${where}). Delete it and download it again.`,
        { location: archive },
      );
    } else {
      throw new AudioError(
        'ARCHIVE_EXTRACT_FAILED',
        `${archive}: cannot write the extracted files into ${dir} (${problem.code}: ${problem.message}${where}). Check the free space and permissions of the --to folder.`,
        { location: dir },
      );
    }
  }
  unsafe ??= await escapingLinkOnDisk(dir);
  if (unsafe !== undefined) {
    throw new AudioError(
      'ARCHIVE_UNSAFE_ENTRY',
      `${archive}: refusing to extract entry "${unsafe.path}" (${unsafe.reason}). The archive is not a genuine LibriSpeech archive; check the mirror.`,
      { location: `${archive}:${unsafe.path}` },
    );
  }
  onEntries?.(entries);
  return entries;
}

