import { createReadStream } from 'node:fs';
import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract, type ReadEntry } from 'tar';
import { ArchiveLinks, joinRaw } from './archive-links.js';
import { AudioError } from './errors.js';

const allowedTypes = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** More symbolic links than any corpus archive has (LibriSpeech's have none); bounds the checking work. */
const MAX_SYMLINKS = 1000;

/** How large an archive may unpack: a gzip bomb (an 8 GB entry of zeros in a few MB) is refused from its tar headers. */
export interface ExtractLimits {
  /** Largest entry in bytes (default 1 GiB: a LibriSpeech FLAC file is a few MB). */
  maxEntryBytes?: number;
  /** Most bytes in all entries together (default 20 times the archive's size plus 64 MiB; FLAC hardly compresses). */
  maxTotalBytes?: number;
}

/** Default of {@link ExtractLimits.maxEntryBytes}. */
export const MAX_ENTRY_BYTES = 2 ** 30;
/** Default expansion allowed over the archive's size ({@link ExtractLimits.maxTotalBytes}). */
export const MAX_EXPANSION_RATIO = 20;
const EXPANSION_SLACK_BYTES = 64 * 2 ** 20;
/** Longest entry path and path segment, in bytes (Linux's PATH_MAX and NAME_MAX). */
const MAX_PATH_BYTES = 4096;
const MAX_NAME_BYTES = 255;

/** Why an entry's size or name cannot be extracted, or undefined. */
function sizeOrNameReason(entry: ReadEntry, limits: Required<ExtractLimits>, total: number): string | undefined {
  const size = entry.size ?? 0;
  if (size > limits.maxEntryBytes)
    return `it would unpack to ${size} bytes, more than the ${limits.maxEntryBytes} allowed for one file (a decompression bomb?)`;
  if (total + size > limits.maxTotalBytes)
    return `the archive would unpack to more than ${limits.maxTotalBytes} bytes, far more than its size allows (a decompression bomb?)`;
  const path = entry.path;
  if (
    Buffer.byteLength(path) > MAX_PATH_BYTES ||
    path.split('/').some((part) => Buffer.byteLength(part) > MAX_NAME_BYTES)
  )
    return `its name is longer than a file system allows (${MAX_NAME_BYTES} bytes per name, ${MAX_PATH_BYTES} per path)`;
  return undefined;
}

/**
 * Why an archive entry may not be extracted, or undefined when it is safe: absolute paths,
 * `..` segments, device or FIFO entries, and links whose target leaves the archive. With
 * `links` (the symbolic links extracted before this entry), a link target is resolved through
 * them as the file system will, so a chain such as `a/s1 -> ..`, `a/s2 -> s1/..` is refused.
 * @param entry - Path, type and link target of a tar entry.
 * @param links - Links extracted so far; omit to judge the entry on its own text.
 * @returns A reason, or undefined.
 */
export function unsafeEntryReason(
  entry: { path: string; type: string; linkpath?: string },
  links = new ArchiveLinks(),
): string | undefined {
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

function tarProblem(
  code: string,
  message: string | Error,
  data: { code?: unknown; entry?: { path?: unknown }; path?: unknown; symlink?: unknown },
): TarProblem {
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
        if (target !== root && !target.startsWith(root + sep))
          return { path: name, reason: 'the link leads outside the archive' };
      }
    }
  }
  return undefined;
}

/** A refused entry: which, and why. */
interface Refusal {
  path: string;
  reason: string;
}

/**
 * Judges archive entries as node-tar reads them: refuses the first unsafe one and everything
 * after it, tracks the symbolic links extracted so far, and keeps the first problem node-tar reports.
 */
class EntryGuard {
  entries = 0;
  unsafe: Refusal | undefined;
  problem: TarProblem | undefined;
  private readonly links = new ArchiveLinks();
  private symlinks = 0;
  private bytes = 0;

  constructor(
    private readonly onEntries: ((entries: number) => void) | undefined,
    private readonly limits: Required<ExtractLimits>,
    /** Stops reading the archive: after a size refusal there is nothing worth decompressing. */
    private readonly stop: () => void,
  ) {}

  /** node-tar's `onwarn`. */
  warn(code: string, message: string | Error, data: unknown): void {
    if (code !== 'TAR_ENTRY_INFO') this.problem ??= tarProblem(code, message, data as Parameters<typeof tarProblem>[2]);
  }

  /** An unrecoverable failure (a damaged gzip stream, an unreadable file): node-tar stopped parsing. */
  abort(error: unknown): void {
    this.problem ??= tarProblem('TAR_ABORT', error as Error, error as Parameters<typeof tarProblem>[2]);
  }

  /** node-tar's `filter`: whether to extract this entry. */
  admit(entry: ReadEntry): boolean {
    if (this.unsafe !== undefined || this.problem !== undefined) return false;
    const reason = unsafeEntryReason(
      { path: entry.path, type: entry.type, ...(entry.linkpath ? { linkpath: entry.linkpath } : {}) },
      this.links,
    );
    if (reason !== undefined) return this.refuse(entry.path, reason);
    const tooLarge = sizeOrNameReason(entry, this.limits, this.bytes);
    if (tooLarge !== undefined) {
      this.stop();
      return this.refuse(entry.path, tooLarge);
    }
    this.bytes += entry.size ?? 0;
    if (entry.type === 'SymbolicLink') {
      if (++this.symlinks > MAX_SYMLINKS) return this.refuse(entry.path, `more than ${MAX_SYMLINKS} symbolic links`);
      this.links.add(entry.path, entry.linkpath ?? '');
      // A new link can change where an earlier one leads (s1 -> x/.. before x -> ..).
      const escaping = this.links.firstEscaping();
      if (escaping)
        return this.refuse(
          escaping.path,
          `link to ${escaping.target} points outside the archive once ${entry.path} -> ${entry.linkpath} is followed`,
        );
    } else this.links.remove(entry.path);
    this.entries++;
    if (this.entries % 100 === 0) this.onEntries?.(this.entries);
    return true;
  }

  private refuse(path: string, reason: string): false {
    this.unsafe ??= { path, reason };
    return false;
  }
}

/**
 * Turns the problem node-tar reported into a refusal (an entry it would not write safely) or
 * throws the error it stands for.
 * @throws AsrqError `ARCHIVE_CORRUPT` for damaged gzip/tar data, `ARCHIVE_EXTRACT_FAILED` for write failures.
 */
function problemRefusal(problem: TarProblem, archive: string, dir: string): Refusal {
  const where = problem.path === undefined ? '' : ` at "${relative(dir, resolve(dir, problem.path)) || problem.path}"`;
  if (problem.code === 'TAR_SYMLINK_ERROR' || problem.code === 'TAR_ENTRY_ERROR' || problem.code === 'ENAMETOOLONG') {
    const reason =
      problem.code === 'TAR_SYMLINK_ERROR'
        ? 'a later entry would be written through this symbolic link'
        : problem.code === 'ENAMETOOLONG'
          ? 'its name is longer than this file system allows'
          : problem.message;
    return { path: problem.path === undefined ? '?' : relative(dir, resolve(dir, problem.path)), reason };
  }
  if (/^(TAR_|Z_)/.test(problem.code)) {
    throw new AudioError(
      'ARCHIVE_CORRUPT',
      `${archive}: the archive is damaged and cannot be extracted (${problem.message}${where}). Delete it and download it again.`,
      { location: archive },
    );
  }
  throw new AudioError(
    'ARCHIVE_EXTRACT_FAILED',
    `${archive}: cannot write the extracted files into ${dir} (${problem.code}: ${problem.message}${where}). Check the free space and permissions of the folder (\`to\`).`,
    { location: dir, argument: 'to' },
  );
}

/** The limits with their defaults, the total one from the archive's size. */
async function limitsFor(archive: string, limits: ExtractLimits): Promise<Required<ExtractLimits>> {
  const size = (await stat(archive).catch(() => undefined))?.size ?? 0;
  return {
    maxEntryBytes: limits.maxEntryBytes ?? MAX_ENTRY_BYTES,
    maxTotalBytes: limits.maxTotalBytes ?? size * MAX_EXPANSION_RATIO + EXPANSION_SLACK_BYTES,
  };
}

/**
 * Extracts a .tar.gz into `dir` (created), refusing unsafe entries (see {@link unsafeEntryReason}).
 * Symbolic links are resolved through the links extracted before them; any link that leads
 * outside `dir` (checked again on disk after extraction) makes the whole archive refused.
 * @param archive - Path of the .tar.gz.
 * @param dir - Destination directory; on failure it may hold partial output for the caller to remove.
 * @param onEntries - Called every 100 entries and at the end with the count so far.
 * @param limits - Largest entry and total size (see {@link ExtractLimits}); checked from the tar
 *   headers, before anything of the entry is written.
 * @returns The number of entries extracted.
 * @throws AsrqError `ARCHIVE_UNSAFE_ENTRY` naming the entry (also for one too large or too long a name);
 *   `ARCHIVE_CORRUPT` when the gzip/tar data is damaged.
 */
export async function extractArchiveSafely(
  archive: string,
  dir: string,
  onEntries?: (entries: number) => void,
  limits: ExtractLimits = {},
): Promise<number> {
  await mkdir(dir, { recursive: true });
  const source = createReadStream(archive);
  const guard = new EntryGuard(onEntries, await limitsFor(archive, limits), () => source.destroy());
  try {
    // Not strict: node-tar then reports problems as warnings and keeps draining the archive
    // (the filter refuses everything after the first one), so when the promise settles no
    // write is still under way and the caller can remove `dir` without racing it. The archive
    // is piped in rather than named (`file:`), so reading waits for the writes: memory stays
    // bounded however large an entry is.
    await pipeline(
      source,
      extract({
        cwd: dir,
        strict: false,
        preserveOwner: false,
        onwarn: (code, message, data) => guard.warn(code, message, data),
        filter: (_path, entry) => guard.admit(entry as ReadEntry),
      }),
    );
  } catch (error) {
    guard.abort(error);
  }
  let unsafe = guard.unsafe;
  if (unsafe === undefined && guard.problem !== undefined) unsafe = problemRefusal(guard.problem, archive, dir);
  unsafe ??= await escapingLinkOnDisk(dir);
  if (unsafe !== undefined) {
    throw new AudioError(
      'ARCHIVE_UNSAFE_ENTRY',
      `${archive}: refusing to extract entry "${unsafe.path}" (${unsafe.reason}). The archive is not a genuine LibriSpeech archive: check the mirror, and delete ${archive} before running again (a rerun reuses it).`,
      { location: `${archive}:${unsafe.path}` },
    );
  }
  onEntries?.(guard.entries);
  return guard.entries;
}
