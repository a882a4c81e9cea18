import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CoreError } from './core-errors.js';
import { createError, errorCode, type ErrorCodeSpec } from './error-spec.js';

/** A JSON-lines file read back: its entries and where its last complete line ends. */
export interface JsonlContents {
  /** False when the file does not exist. */
  exists: boolean;
  /** Parsed lines, in order (blank lines skipped). */
  entries: unknown[];
  /** Byte length of the file up to and including the last complete, valid line. */
  goodBytes: number;
  /** Byte length of the file. */
  totalBytes: number;
}

/**
 * Reads a JSON-lines journal written by {@link openJsonlAppender}. A torn last line (the
 * writer was killed mid-line) is ignored; `goodBytes` tells where the valid part ends so the
 * next appender can cut the fragment off instead of gluing a record onto it.
 *
 * @param path - The file.
 * @param code - Error code for a broken line in the middle, bare (thrown as a plain AsrqError) or
 *   bound to the caller's subclass (e.g. `errorCode(BenchError, 'BENCH_BAD_JOURNAL')`).
 * @param reviver - Passed to JSON.parse (e.g. to turn "Infinity" strings back into numbers).
 * @returns The entries and the valid length.
 * @throws AsrqError `code` (default CoreError `JOURNAL_BROKEN`) naming the line when a line other than the last is not JSON.
 */
export async function readJsonl(
  path: string,
  code: string | ErrorCodeSpec = errorCode(CoreError, 'JOURNAL_BROKEN'),
  reviver?: (key: string, value: unknown) => unknown,
): Promise<JsonlContents> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { exists: false, entries: [], goodBytes: 0, totalBytes: 0 };
    throw error;
  }
  const entries: unknown[] = [];
  let start = 0;
  let goodBytes = 0;
  let line = 0;
  while (start < bytes.length) {
    line++;
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    const text = bytes.toString('utf8', start, end).trim();
    if (text !== '') {
      try {
        entries.push(JSON.parse(text, reviver));
      } catch (cause) {
        if (newline === -1) break; // torn last line: dropped, and cut off by the next appender
        throw createError(
          code,
          `${path}:${line} is not valid JSON. Delete the file (or its directory) to start afresh.`,
          { cause, location: `${path}:${line}` },
        );
      }
    }
    if (newline === -1) {
      goodBytes = bytes.length;
      break;
    }
    start = newline + 1;
    goodBytes = start;
  }
  return { exists: true, entries, goodBytes, totalBytes: bytes.length };
}

/** Appends JSON lines to a journal. */
export interface JsonlAppender {
  append(entry: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a journal for appending, first repairing its end: a torn last line is cut off, and a
 * complete last line without its newline gets one. Each entry is then written with a single
 * write, so a crash loses at most the line being written.
 *
 * @param path - The file (created when missing, with its directory, as writeFileAtomic does).
 * @param contents - What {@link readJsonl} returned for it, when resuming.
 * @param replacer - Passed to JSON.stringify (e.g. to keep Infinity, which JSON lacks).
 * @returns The appender; close it when done.
 */
export async function openJsonlAppender(
  path: string,
  contents?: JsonlContents,
  replacer?: (key: string, value: unknown) => unknown,
): Promise<JsonlAppender> {
  // goodBytes < totalBytes only when the last line is torn: cut the fragment off.
  if (contents?.exists && contents.goodBytes < contents.totalBytes) await truncate(path, contents.goodBytes);
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a+');
  const { size } = await handle.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    // A complete last line that lacks its newline gets one, so the next entry starts a line.
    if (last[0] !== 0x0a) await handle.write('\n');
  }
  return {
    async append(entry) {
      await handle.write(`${JSON.stringify(entry, replacer)}\n`);
    },
    async close() {
      await handle.close();
    },
  };
}
