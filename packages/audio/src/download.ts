import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AsrqError, errorCode, throwIfAborted } from '@asrq/core';
import { checkWritableDir } from '@asrq/core/node';
import { extractArchiveSafely } from './extract.js';
import { AudioError } from './errors.js';

/** Where the official archives live (OpenSLR resource 12). */
export const LIBRISPEECH_BASE_URL = 'https://www.openslr.org/resources/12';

/**
 * MD5 sums of the official LibriSpeech archives, as published in OpenSLR's md5sum.txt for SLR12.
 * A mirror serving these names must serve the same bytes, so they are checked whatever the base URL.
 */
export const LIBRISPEECH_MD5: Readonly<Record<string, string>> = {
  'dev-clean': '42e2234ba48799c1f50f24a7926300a1',
  'dev-other': 'c8d0bcc9cca99d4f8b62fcc847357931',
  'test-clean': '32fa31d27d2e1cad72775fee3f4849a9',
  'test-other': 'fb5a50374b501bb3bac4815ee91d3135',
  'train-clean-100': '2a93770f6d5c6c964bc36631d331a522',
  'train-clean-360': 'c0e676e450a7ff2f54aeade5171606fa',
  'train-other-500': 'd1a0fd59409feb2c614ce4d30c387708',
};

/** Progress of {@link downloadLibriSpeech}, tagged by `status`. */
export type DownloadProgress =
  | { status: 'download'; split: string; bytes: number; totalBytes?: number; resumed: boolean }
  | { status: 'verify'; split: string; expectedMd5?: string }
  | { status: 'extract'; split: string; entries: number }
  | { status: 'done'; split: string; dir: string };

/** Options of {@link downloadLibriSpeech}. */
export interface DownloadOptions {
  /** Directory to download and extract into (the split ends up in `<to>/LibriSpeech/<split>`). */
  to: string;
  /** Mirror base URL; defaults to `$ASRQ_LIBRISPEECH_MIRROR`, then OpenSLR. */
  baseUrl?: string;
  /** Expected MD5 of the archive (hex). Defaults to the official sum, else a `<archive>.md5` file served next to it. */
  md5?: string;
  /** Keep `<split>.tar.gz` after extraction (default true, so re-extracting needs no download). */
  keepArchive?: boolean;
  onProgress?: (event: DownloadProgress) => void;
  signal?: AbortSignal;
}

/** What {@link downloadLibriSpeech} did. */
export interface DownloadResult {
  /** The extracted split directory. */
  dir: string;
  /** The archive path (removed when `keepArchive` is false). */
  archive: string;
  /** Bytes transferred by this call (0 when everything was already there). */
  bytes: number;
  /** Whether a partial download from an earlier call was continued. */
  resumed: boolean;
  /** MD5 the archive was checked against; undefined when none was available (unverified). */
  verifiedMd5?: string;
}

function failed(url: string, detail: string, cause?: unknown): AsrqError {
  return new AudioError('DOWNLOAD_FAILED', `${url}: ${detail}. Run the same command again to resume.`, {
    location: url,
    cause,
  });
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

async function fileMd5(path: string): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

async function fetchOrFail(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { ...init, ...(signal ? { signal } : {}) });
  } catch (error) {
    throwIfAborted(signal);
    throw failed(url, `cannot connect (${(error as Error).cause ?? (error as Error).message})`, error);
  }
}

async function sidecarMd5(url: string, signal?: AbortSignal): Promise<string | undefined> {
  const response = await fetchOrFail(`${url}.md5`, {}, signal);
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  const match = /^[0-9a-f]{32}/i.exec((await response.text()).trim());
  return match?.[0].toLowerCase();
}

/**
 * Checks a download response: a status to read a body from, and a resume at the offset asked for.
 * @returns Whether the server resumed the partial download (206).
 * @throws AsrqError `DOWNLOAD_FAILED` (the partial file is deleted when the resume offset is wrong).
 */
async function checkResponse(response: Response, url: string, part: string, have: number): Promise<boolean> {
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new AudioError(
      'DOWNLOAD_FAILED',
      `${url}: HTTP ${response.status} ${response.statusText}. Check the split name and the mirror URL.`,
      {
        location: url,
      },
    );
  }
  const resumed = response.status === 206;
  if (resumed) {
    const range = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== have) {
      await response.body?.cancel();
      await rm(part, { force: true });
      throw failed(
        url,
        `the server resumed at the wrong offset (${response.headers.get('content-range')}); the partial file was deleted`,
      );
    }
  }
  return resumed;
}

/**
 * Appends (or writes) a response body to the partial file. Each chunk is written before the
 * next is read, so whatever arrived before a failure is on disk for the resume (a stream
 * pipeline would drop its buffered chunks when torn down).
 * @returns Bytes written.
 */
async function writeBody(
  response: Response,
  part: string,
  at: {
    url: string;
    start: number;
    resumed: boolean;
    signal: AbortSignal | undefined;
    report: (bytes: number) => void;
  },
): Promise<number> {
  let bytes = 0;
  let lastReport = 0;
  const handle = await open(part, at.resumed ? 'a' : 'w');
  let finished = false;
  try {
    const reader = response.body?.getReader();
    for (;;) {
      let chunk: { done: boolean; value?: Uint8Array | undefined } | undefined;
      try {
        chunk = await reader?.read();
      } catch (error) {
        throwIfAborted(at.signal);
        throw failed(
          at.url,
          `the transfer broke off after ${at.start + bytes} bytes (${(error as Error).message})`,
          error,
        );
      }
      if (!chunk || chunk.done || !chunk.value) break;
      await handle.write(chunk.value);
      bytes += chunk.value.length;
      if (bytes - lastReport >= 1 << 20) {
        lastReport = bytes;
        at.report(bytes);
      }
    }
    finished = true;
  } finally {
    await handle.close();
    // Nothing arrived: leave no empty partial file behind (there is nothing to resume).
    if (!finished && !at.resumed && bytes === 0) await rm(part, { force: true });
  }
  return bytes;
}

async function transfer(
  url: string,
  part: string,
  split: string,
  options: DownloadOptions,
): Promise<{ bytes: number; resumed: boolean }> {
  const { signal, onProgress } = options;
  const have = (await sizeOf(part)) ?? 0;
  const response = await fetchOrFail(url, have > 0 ? { headers: { Range: `bytes=${have}-` } } : {}, signal);
  if (response.status === 416 && have > 0) {
    // Nothing left to send: the previous call received everything but stopped before renaming.
    await response.body?.cancel();
    return { bytes: 0, resumed: true };
  }
  const resumed = await checkResponse(response, url, part, have);
  const start = resumed ? have : 0;
  const length = Number(response.headers.get('content-length'));
  const totalBytes = Number.isFinite(length) && length > 0 ? start + length : undefined;
  const report = (bytes: number): void => {
    onProgress?.({ status: 'download', split, bytes: start + bytes, ...(totalBytes ? { totalBytes } : {}), resumed });
  };
  report(0);
  const bytes = await writeBody(response, part, { url, start, resumed, signal, report });
  if (totalBytes !== undefined && start + bytes < totalBytes) {
    if (start + bytes === 0) await rm(part, { force: true });
    throw failed(url, `the transfer ended after ${start + bytes} of ${totalBytes} bytes`);
  }
  report(bytes);
  return { bytes, resumed };
}

/**
 * Checks the archive's MD5 against the given sum, the known one for the split or the mirror's
 * sidecar file, whichever comes first; a mismatching archive is deleted.
 * @returns The sum checked (lower case), or undefined when none was known.
 * @throws AsrqError `DOWNLOAD_CHECKSUM_MISMATCH`.
 */
async function verifyArchive(
  url: string,
  archive: string,
  split: string,
  md5: string | undefined,
  options: DownloadOptions,
): Promise<string | undefined> {
  const { signal, onProgress } = options;
  const expected = (md5 ?? LIBRISPEECH_MD5[split] ?? (await sidecarMd5(url, signal)))?.toLowerCase();
  onProgress?.({ status: 'verify', split, ...(expected ? { expectedMd5: expected } : {}) });
  if (expected !== undefined) {
    const actual = await fileMd5(archive);
    if (actual !== expected) {
      await rm(archive, { force: true });
      throw new AudioError(
        'DOWNLOAD_CHECKSUM_MISMATCH',
        `${url}: the archive's MD5 is ${actual}, expected ${expected}. The corrupt archive was deleted; run the command again to download it afresh.`,
        { location: archive },
      );
    }
  }
  return expected;
}

/**
 * Downloads one LibriSpeech split archive (dev-clean, test-clean, ...), verifies its MD5,
 * and extracts it safely into `<to>/LibriSpeech/<split>`. An interrupted download leaves
 * `<split>.tar.gz.part`; the next call resumes it with an HTTP Range request. Extraction goes
 * to a hidden temporary directory first and is renamed into place only when complete, and
 * entries with absolute paths, `..` or links leaving the archive are refused.
 * Returns at once, without network, when the split directory already exists.
 *
 * @param split - Split name, e.g. `dev-clean`.
 * @param options - See {@link DownloadOptions}.
 * @returns Where the split is, the archive, bytes transferred, whether it resumed, the MD5 checked.
 * @throws AsrqError `DOWNLOAD_FAILED` (network, HTTP status), `DOWNLOAD_CHECKSUM_MISMATCH` (the
 *   archive is deleted), `DOWNLOAD_BAD_MD5` and `DOWNLOAD_BAD_URL` (before any transfer), `ARCHIVE_UNSAFE_ENTRY`, `ARCHIVE_CORRUPT`,
 *   `ARCHIVE_EXTRACT_FAILED` (disk full, permissions), `DOWNLOAD_BAD_SPLIT`, `ABORTED`.
 * @example
 * ```ts
 * const { dir } = await downloadLibriSpeech('dev-clean', { to: 'data', onProgress: (e) => log(e) });
 * const corpus = await openCorpus(dir);
 * ```
 */
export async function downloadLibriSpeech(split: string, options: DownloadOptions): Promise<DownloadResult> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(split)) {
    throw new AudioError(
      'DOWNLOAD_BAD_SPLIT',
      `"${split}" is not a LibriSpeech split name (e.g. dev-clean, test-clean, train-clean-100).`,
    );
  }
  const md5 = options.md5 === undefined ? undefined : checkMd5(options.md5);
  const { to, signal, onProgress } = options;
  const baseUrl = checkBaseUrl(options.baseUrl ?? process.env.ASRQ_LIBRISPEECH_MIRROR ?? LIBRISPEECH_BASE_URL);
  const url = `${baseUrl}/${split}.tar.gz`;
  const archive = join(to, `${split}.tar.gz`);
  const part = `${archive}.part`;
  const target = join(to, 'LibriSpeech', split);
  if ((await sizeOf(target)) !== undefined) {
    onProgress?.({ status: 'done', split, dir: target });
    return { dir: target, archive, bytes: 0, resumed: false };
  }
  throwIfAborted(signal);
  // Before any transfer: a read-only, full or blocked folder fails now, not after the download.
  await checkWritableDir(to, { what: '`to`', argument: 'to', code: errorCode(AudioError, 'ARCHIVE_EXTRACT_FAILED') });

  let bytes = 0;
  let resumed = false;
  if ((await sizeOf(archive)) === undefined) {
    ({ bytes, resumed } = await transfer(url, part, split, options));
    await rename(part, archive);
  }

  const expected = await verifyArchive(url, archive, split, md5, options);

  throwIfAborted(signal);
  await removeStaleExtractions(to, split);
  const temp = join(to, `.${split}.extract-${randomBytes(4).toString('hex')}`);
  try {
    await extractArchiveSafely(archive, temp, (entries) => onProgress?.({ status: 'extract', split, entries }));
    throwIfAborted(signal);
    const dir = await moveIntoPlace(temp, to, split);
    if (options.keepArchive === false) await rm(archive, { force: true });
    onProgress?.({ status: 'done', split, dir });
    return { dir, archive, bytes, resumed, ...(expected ? { verifiedMd5: expected } : {}) };
  } catch (error) {
    if (AsrqError.isInstance(error) && error.code === 'ARCHIVE_CORRUPT' && expected === undefined) {
      // Unverified and unreadable: most likely a damaged download, so fetch it afresh next time.
      await rm(archive, { force: true });
    }
    throw error;
  } finally {
    await removeQuietly(temp);
  }
}

/**
 * Checks the mirror base URL before anything is downloaded.
 * @param url - `http://` or `https://` URL (trailing slashes are dropped).
 * @returns The URL without trailing slashes.
 * @throws AsrqError `DOWNLOAD_BAD_URL` when it is not an http(s) URL: running again would not help.
 */
export function checkBaseUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new AudioError(
      'DOWNLOAD_BAD_URL',
      `\`baseUrl\` "${url}" (or ASRQ_LIBRISPEECH_MIRROR) is not an http:// or https:// URL. Give the folder URL that serves <split>.tar.gz, e.g. ${LIBRISPEECH_BASE_URL}. Nothing was downloaded.`,
      { argument: 'baseUrl' },
    );
  }
  return url.replace(/\/+$/, '');
}

/**
 * Checks an MD5 given by the user before anything is downloaded.
 * @param md5 - 32 hex digits, any case; surrounding spaces and a trailing `  file` (md5sum output) are tolerated.
 * @returns The sum in lower case.
 * @throws AsrqError `DOWNLOAD_BAD_MD5` when it is not 32 hex digits.
 */
export function checkMd5(md5: string): string {
  const sum = md5.trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-fA-F]{32}$/.test(sum)) {
    throw new AudioError(
      'DOWNLOAD_BAD_MD5',
      `\`md5\` "${md5}" is not valid: expected 32 hexadecimal digits (as md5sum prints them). Nothing was downloaded.`,
      { argument: 'md5' },
    );
  }
  return sum.toLowerCase();
}

/** Removes `.<split>.extract-*` folders that a killed earlier run left behind. */
async function removeStaleExtractions(to: string, split: string): Promise<void> {
  const prefix = `.${split}.extract-`;
  for (const name of await readdir(to)) if (name.startsWith(prefix)) await removeQuietly(join(to, name));
}

/**
 * Removes a temporary extraction folder. node-tar may still be finishing writes it had started
 * when it rejected, so the removal is retried (ENOTEMPTY, EBUSY); a folder that still cannot be
 * removed is left rather than hiding the error that brought us here.
 */
async function removeQuietly(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch {
    // Best effort: the next run of the same command removes stale `.split.extract-*` folders.
  }
}

async function moveIntoPlace(temp: string, to: string, split: string): Promise<string> {
  const nested = join(temp, 'LibriSpeech');
  if ((await sizeOf(join(nested, split))) !== undefined) {
    await mkdir(join(to, 'LibriSpeech'), { recursive: true });
    // The official archives also carry README, SPEAKERS.TXT, CHAPTERS.TXT next to the split.
    for (const name of await readdir(nested)) {
      const destination = join(to, 'LibriSpeech', name);
      if ((await sizeOf(destination)) === undefined) await rename(join(nested, name), destination);
    }
    return join(to, 'LibriSpeech', split);
  }
  const destination = join(to, 'LibriSpeech', split);
  await mkdir(join(to, 'LibriSpeech'), { recursive: true });
  const flat = join(temp, split);
  await rename((await sizeOf(flat)) !== undefined ? flat : temp, destination);
  return destination;
}
