import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AsrqError, throwIfAborted } from '@asrq/core';
import { writeFileAtomic } from '@asrq/core/node';
import { buildArpa, type BuildArpaProgress } from './kneser-ney.js';
import { NgramLM } from './ngram-lm.js';

/**
 * Loads an ARPA language model from disk; `.gz` files (or any gzip data) are decompressed.
 *
 * @param path - `.arpa` or `.arpa.gz` file.
 * @returns The model.
 * @throws AsrqError `LM_NOT_FOUND` when the file can't be read, `LM_BAD_ARPA` (with file:line) when it is malformed.
 * @example
 * ```ts
 * const lm = await loadArpa('lm/3gram.arpa.gz');
 * ```
 */
export async function loadArpa(path: string): Promise<NgramLM> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new AsrqError('LM_NOT_FOUND', `Cannot read language model ${path}: ${(error as Error).message}.`, { cause: error, location: path });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new AsrqError('LM_BAD_ARPA', `${path}: corrupt gzip data (${(error as Error).message}).`, { cause: error, location: path });
    }
  }
  return NgramLM.fromArpa(bytes, { name: path });
}

/**
 * Builds a modified Kneser-Ney ARPA model from a text file (one sentence per line) and
 * writes it atomically (`.gz` output paths are gzipped). This is what `asrq lm build` runs.
 *
 * @param textPath - Training text, one sentence per line.
 * @param outPath - Output `.arpa` or `.arpa.gz`.
 * @param options - `order` (1-5), `pruneSingletons`, `onProgress`, `signal`.
 * @returns The n-gram counts per order written.
 * @throws AsrqError `LM_NOT_FOUND` when the text can't be read, `LM_BAD_ORDER`, `LM_NO_TEXT`, `ABORTED`.
 * @example
 * ```ts
 * const { counts } = await buildArpaFile('lm_text.txt', 'lm/3gram.arpa.gz', { order: 3, pruneSingletons: true });
 * ```
 */
export async function buildArpaFile(
  textPath: string,
  outPath: string,
  options: { order: number; pruneSingletons?: boolean; onProgress?: (progress: BuildArpaProgress) => void; signal?: AbortSignal },
): Promise<{ counts: number[] }> {
  const lines: string[] = [];
  try {
    const reader = createInterface({ input: createReadStream(textPath), crlfDelay: Infinity });
    for await (const line of reader) lines.push(line);
  } catch (error) {
    throw new AsrqError('LM_NOT_FOUND', `Cannot read LM training text ${textPath}: ${(error as Error).message}.`, { cause: error, location: textPath });
  }
  throwIfAborted(options.signal);
  let counts: number[] = [];
  const arpa = buildArpa(lines, {
    ...options,
    onProgress: (progress) => {
      if (progress.status === 'done') counts = progress.counts;
      options.onProgress?.(progress);
    },
  });
  await writeFileAtomic(outPath, outPath.endsWith('.gz') ? gzipSync(arpa) : arpa);
  return { counts };
}
