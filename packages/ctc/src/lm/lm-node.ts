import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { gunzipSync, gzipSync } from 'node:zlib';
import { throwIfAborted } from '@asrq/core';
import { writeFileAtomic } from '@asrq/core/node';
import { buildArpa } from './kneser-ney.js';
import type { BuildArpaProgress } from './types.js';
import { isCompiledLm } from './compiled-lm.js';
import { NgramLM } from './ngram-lm.js';

/** The file extension `asrq lm compile` suggests; such a file is read as a compiled LM whatever its bytes. */
const COMPILED_EXTENSION = '.asrqlm';
import { CtcError } from '../errors.js';

/**
 * Loads a language model from disk: a compiled LM (`asrq lm compile`, detected by its magic
 * bytes, read with one read and no parsing) or ARPA text; `.gz` files (or any gzip data) are
 * decompressed.
 *
 * @param path - `.asrqlm`, `.arpa` or `.arpa.gz` file.
 * @returns The model.
 * @throws AsrqError `LM_NOT_FOUND` when the file can't be read, `LM_BAD_ARPA` (with file:line) when it is malformed, `LM_BAD_COMPILED` for a corrupt compiled LM.
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
    throw new CtcError('LM_NOT_FOUND', `Cannot read language model ${path}: ${(error as Error).message}.`, {
      cause: error,
      location: path,
    });
  }
  if (bytes.length === 0)
    throw new CtcError(
      path.endsWith(COMPILED_EXTENSION) ? 'LM_BAD_COMPILED' : 'LM_BAD_ARPA',
      `${path}: the file is empty (0 bytes), not a language model. ${path.endsWith(COMPILED_EXTENSION) ? 'Compile it again with `asrq lm compile`' : 'Build it again (e.g. `asrq lm build`)'}.`,
      { location: path },
    );
  // A compiled LM whose magic bytes are damaged is reported as such, not parsed as ARPA text.
  if (path.endsWith(COMPILED_EXTENSION) && !isCompiledLm(bytes)) return NgramLM.fromCompiled(bytes, { name: path });
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new CtcError('LM_BAD_ARPA', `${path}: corrupt gzip data (${(error as Error).message}).`, {
        cause: error,
        location: path,
      });
    }
  }
  return NgramLM.fromBytes(bytes, { name: path });
}

/** Same as {@link loadArpa}: loads a compiled LM or an ARPA file. */
export const loadLm = loadArpa;

/**
 * Compiles an LM (ARPA, gzipped ARPA or already compiled) into the compiled format and writes it
 * atomically. This is what `asrq lm compile` runs.
 *
 * @param inPath - LM to read.
 * @param outPath - Compiled file to write (e.g. `lm.asrqlm`).
 * @returns The model that was compiled and the bytes written.
 * @throws AsrqError as {@link loadArpa}.
 * @example
 * ```ts
 * await compileLmFile('lm.arpa', 'lm.asrqlm');
 * ```
 */
export async function compileLmFile(inPath: string, outPath: string): Promise<{ lm: NgramLM; bytes: number }> {
  const lm = await loadArpa(inPath);
  const compiled = lm.compile();
  await writeFileAtomic(outPath, compiled);
  return { lm, bytes: compiled.length };
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
  options: {
    order: number;
    pruneSingletons?: boolean;
    onProgress?: (progress: BuildArpaProgress) => void;
    signal?: AbortSignal;
  },
): Promise<{ counts: number[] }> {
  const lines: string[] = [];
  try {
    const reader = createInterface({ input: createReadStream(textPath), crlfDelay: Infinity });
    for await (const line of reader) lines.push(line);
  } catch (error) {
    throw new CtcError('LM_NOT_FOUND', `Cannot read LM training text ${textPath}: ${(error as Error).message}.`, {
      cause: error,
      location: textPath,
    });
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
