import { createError, type ErrorCodeSpec } from './error-spec.js';

// ignoreBOM keeps a BOM in the text, as readFile(path, 'utf8') does: the parsers that allow one strip it.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 text, refusing bytes that are not UTF-8 (a Latin-1 or Windows-1252 file) instead
 * of turning them into U+FFFD, which would silently change words (a transcript's "café" would
 * never match "CAFÉ" again). A UTF-8 BOM is kept (callers strip it where their format allows one).
 * @param bytes - The file's bytes.
 * @param path - The file, named in the error.
 * @param code - Error code to throw, bound to the caller's subclass (see `errorCode`).
 * @returns The text.
 * @throws AsrqError `code` naming the file, the line and the first byte that is not UTF-8.
 * @example
 * ```ts
 * import { CoreError, decodeUtf8, errorCode } from '@asrq/core';
 * decodeUtf8(new TextEncoder().encode('héllo'), 'a.txt', errorCode(CoreError, 'DIR_LOCKED')); // 'héllo'
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, path: string, code: ErrorCodeSpec): string {
  try {
    return strict.decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
    throw createError(
      code,
      `${path}:${line}: byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8 (is the file Latin-1 or Windows-1252?). Convert it, e.g. iconv -f latin1 -t utf-8 ${path} > utf8.txt.`,
      { location: `${path}:${line}` },
    );
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The shortest prefix that fails to decode ends at the bad sequence (a prefix may only cut a
  // valid sequence short, which stream mode accepts).
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  // `lo` is where decoding fails; a sequence cut short there began at its lead byte.
  let lead = lo - 1;
  while (lead >= 0 && lead >= lo - 3 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  const first = lead >= 0 ? bytes[lead]! : 0;
  const length = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  const at = first >= 0xc0 && lead + length > lo ? lead : lo;
  return Math.min(at, bytes.length - 1);
}
