import type { AsrqError } from '@asrq/core';
import type { ArpaData } from './arpa-parse.js';
import { NgramTable } from './ngram-table.js';
import { CtcError } from '../errors.js';

/** The first 8 bytes of a compiled LM (`asrq lm compile`): "ASRQLM", 0, 0x1a. */
export const COMPILED_LM_MAGIC = Uint8Array.of(0x41, 0x53, 0x52, 0x51, 0x4c, 0x4d, 0x00, 0x1a);
/** Format version written and read. */
export const COMPILED_LM_VERSION = 1;
const HEADER_BYTES = 128;
const EMPTY = 0xffffffff; // NgramTable's free-slot marker, local so the validation loop reads no import binding
const MAX_ORDER = 7;
const MAX_CAPACITY = 2 ** 30;

/**
 * Layout (little-endian): a 128-byte header
 * `magic[8] version order vocabSize wordsBytes checksum payloadLo payloadHi counts[order] capacities[order-1] sizes[order-1]`
 * (u32 each), then the payload: the words as UTF-8 joined by `\n` (padded to 4 bytes), unigram
 * log10 prob and backoff (f32 × vocabSize each), then per order >= 2 the hash table's
 * slots (16 bytes each: prefix u32, word u32, prob f32, backoff f32; see {@link NgramTable}). The checksum is FNV-1a over the
 * payload's 32-bit words in four interleaved lanes, then over the lanes.
 */
function checksum(words: Uint32Array): number {
  // Four interleaved FNV-1a lanes (word i goes to lane i % 4): independent multiply chains run
  // in parallel on the CPU, about 3x faster than one chain over a 65 MB file.
  let h0 = 0x811c9dc5;
  let h1 = 0x811c9dc5;
  let h2 = 0x811c9dc5;
  let h3 = 0x811c9dc5;
  const n = words.length;
  const whole = n - (n % 4);
  for (let i = 0; i < whole; i += 4) {
    h0 = Math.imul(h0 ^ words[i]!, 0x01000193);
    h1 = Math.imul(h1 ^ words[i + 1]!, 0x01000193);
    h2 = Math.imul(h2 ^ words[i + 2]!, 0x01000193);
    h3 = Math.imul(h3 ^ words[i + 3]!, 0x01000193);
  }
  for (let i = whole; i < n; i++) h0 = Math.imul(h0 ^ words[i]!, 0x01000193);
  let h = 0x811c9dc5;
  for (const lane of [h0, h1, h2, h3]) h = Math.imul(h ^ lane, 0x01000193);
  return h >>> 0;
}

function isLittleEndian(): boolean {
  return new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
}

/** @returns Whether the bytes start with the compiled-LM magic. */
export function isCompiledLm(bytes: Uint8Array): boolean {
  if (bytes.length < COMPILED_LM_MAGIC.length) return false;
  for (let i = 0; i < COMPILED_LM_MAGIC.length; i++) if (bytes[i] !== COMPILED_LM_MAGIC[i]) return false;
  return true;
}

/**
 * Serialises packed LM tables into one buffer (see the layout above).
 * @param data - The tables, as parsed from ARPA.
 * @returns The compiled LM's bytes.
 */
export function writeCompiledLm(data: ArpaData): Uint8Array {
  const order = data.counts.length;
  const vocabSize = data.words.length;
  const wordBytes = new TextEncoder().encode(data.words.join('\n'));
  const wordsPadded = (wordBytes.length + 3) & ~3;
  let payload = wordsPadded + vocabSize * 8;
  for (const table of data.tables) payload += table.capacity * 16;
  const out = new Uint8Array(HEADER_BYTES + payload);
  out.set(COMPILED_LM_MAGIC, 0);
  out.set(wordBytes, HEADER_BYTES);
  const body = new Uint32Array(out.buffer, HEADER_BYTES, payload / 4);
  let at = wordsPadded / 4;
  const put = (array: Uint32Array | Float32Array): void => {
    body.set(new Uint32Array(array.buffer, array.byteOffset, array.length), at);
    at += array.length;
  };
  put(data.unigramProb.subarray(0, vocabSize));
  put(data.unigramBackoff.subarray(0, vocabSize));
  for (const table of data.tables) {
    put(table.cells);
  }
  const header = new DataView(out.buffer, 0, HEADER_BYTES);
  const fields = [
    COMPILED_LM_VERSION,
    order,
    vocabSize,
    wordBytes.length,
    checksum(body),
    payload % 2 ** 32,
    Math.floor(payload / 2 ** 32),
    ...data.counts,
  ];
  for (const table of data.tables) fields.push(table.capacity);
  for (const table of data.tables) fields.push(table.size);
  fields.forEach((value, i) => header.setUint32(8 + 4 * i, value, true));
  return out;
}

/**
 * Reads a compiled LM: one checksum pass and one validation pass, the tables become typed-array
 * views into `bytes` (no parsing, no copy unless `bytes` is misaligned).
 *
 * @param bytes - The file's bytes.
 * @param name - File name for messages.
 * @returns The tables.
 * @throws AsrqError `LM_BAD_COMPILED` for a wrong magic, version, size, checksum or inconsistent table.
 */
export function readCompiledLm(bytes: Uint8Array, name: string): ArpaData {
  const fail = (message: string): AsrqError =>
    new CtcError('LM_BAD_COMPILED', `${name}: ${message}`, { location: name });
  const header = readHeader(bytes, fail);
  const { order, vocabSize, wordBytes, payload, capacities, sizes } = header;
  // Typed-array views need 4-byte alignment; a file read into a fresh buffer has it.
  let source = bytes;
  if ((bytes.byteOffset + HEADER_BYTES) % 4 !== 0) source = bytes.slice();
  const body = new Uint32Array(source.buffer, source.byteOffset + HEADER_BYTES, payload / 4);
  if (checksum(body) !== header.sum)
    throw fail('checksum mismatch: the file is corrupt. Recompile it with `asrq lm compile`.');
  const { words, vocab } = readWords(source, wordBytes, vocabSize, fail);
  let at = HEADER_BYTES + ((wordBytes + 3) & ~3) + source.byteOffset;
  const view = <T>(make: new (buffer: ArrayBufferLike, offset: number, length: number) => T, length: number): T => {
    const made = new make(source.buffer, at, length);
    at += length * 4;
    return made;
  };
  const unigramProb = view(Float32Array, vocabSize);
  const unigramBackoff = view(Float32Array, vocabSize);
  const tables: NgramTable[] = [];
  for (let n = 0; n < order - 1; n++) {
    const table = new NgramTable(0, { cells: view(Uint32Array, capacities[n]! * 4), size: sizes[n]! });
    checkTable(table, n, n === 0 ? vocabSize : capacities[n - 1]!, vocabSize, sizes[n]!, fail);
    tables.push(table);
  }
  return { words, vocab, unigramProb, unigramBackoff, tables, counts: header.counts };
}

interface CompiledHeader {
  order: number;
  vocabSize: number;
  wordBytes: number;
  sum: number;
  payload: number;
  counts: number[];
  capacities: number[];
  sizes: number[];
}

// The header's fields, checked against each other and the file's length.
function readHeader(bytes: Uint8Array, fail: (message: string) => AsrqError): CompiledHeader {
  if (!isCompiledLm(bytes))
    throw fail('not a compiled asrq LM (wrong magic bytes). Compile an ARPA file with `asrq lm compile`.');
  if (bytes.length < HEADER_BYTES)
    throw fail(`the file is ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header (truncated?).`);
  if (!isLittleEndian())
    throw fail('compiled LMs are little-endian and this machine is not; load the ARPA file instead.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const u32 = (i: number): number => view.getUint32(8 + 4 * i, true);
  const version = u32(0);
  if (version !== COMPILED_LM_VERSION)
    throw fail(
      `format version ${version}, this asrq reads version ${COMPILED_LM_VERSION}. Recompile it with this asrq's \`asrq lm compile\`.`,
    );
  const order = u32(1);
  const vocabSize = u32(2);
  const wordBytes = u32(3);
  const payload = u32(5) + u32(6) * 2 ** 32;
  if (order < 1 || order > MAX_ORDER) throw fail(`order ${order} in the header; 1 to ${MAX_ORDER} are possible.`);
  if (vocabSize < 1) throw fail('the header declares an empty vocabulary.');
  const counts: number[] = [];
  for (let n = 0; n < order; n++) counts.push(u32(7 + n));
  const capacities: number[] = [];
  const sizes: number[] = [];
  for (let n = 0; n < order - 1; n++) {
    capacities.push(u32(7 + order + n));
    sizes.push(u32(7 + 2 * order - 1 + n));
  }
  let expected = ((wordBytes + 3) & ~3) + vocabSize * 8;
  for (const capacity of capacities) {
    if (capacity < 16 || capacity > MAX_CAPACITY || (capacity & (capacity - 1)) !== 0)
      throw fail(`table capacity ${capacity} is not a power of two between 16 and 2^30.`);
    expected += capacity * 16;
  }
  if (payload !== expected)
    throw fail(
      `the header is inconsistent: its payload field says ${payload} bytes, but its vocabulary and table sizes add up to ${expected}. The file is corrupt: recompile it with \`asrq lm compile\`.`,
    );
  if (bytes.length !== HEADER_BYTES + payload)
    throw fail(
      `the header says the file has ${HEADER_BYTES + payload} bytes, but it has ${bytes.length} (${bytes.length < HEADER_BYTES + payload ? 'truncated' : 'extra bytes at the end'}). Recompile it with \`asrq lm compile\`.`,
    );
  return { order, vocabSize, wordBytes, sum: u32(4), payload, counts, capacities, sizes };
}

function readWords(
  source: Uint8Array,
  wordBytes: number,
  vocabSize: number,
  fail: (message: string) => AsrqError,
): { words: string[]; vocab: Map<string, number> } {
  // slice(): TextDecoder refuses views of a SharedArrayBuffer (a compiled LM shared with workers).
  const words = new TextDecoder().decode(source.slice(HEADER_BYTES, HEADER_BYTES + wordBytes)).split('\n');
  if (words.length !== vocabSize)
    throw fail(`the word list has ${words.length} entries, the header says ${vocabSize}.`);
  const vocab = new Map<string, number>();
  words.forEach((word, id) => vocab.set(word, id));
  if (vocab.size !== vocabSize) throw fail('the word list has duplicates.');
  return { words, vocab };
}

// Every slot must name a real word and every used slot a slot one order down, and one slot
// at least must be free, or lookups could loop forever. Sequential passes only: no random
// access, so this costs little next to reading the file.
function checkTable(
  table: NgramTable,
  n: number,
  below: number,
  vocabSize: number,
  size: number,
  fail: (message: string) => AsrqError,
): void {
  const cells = table.cells;
  const capacity = table.capacity;
  let used = 0;
  let badSlot = -1;
  for (let slot = 0; slot < capacity; slot++) {
    const prefix = cells[slot * 4]!;
    if (cells[slot * 4 + 1]! >= vocabSize) badSlot = slot;
    if (prefix === EMPTY) continue;
    used++;
    if (prefix >= below) badSlot = slot;
  }
  if (badSlot >= 0) throw fail(`the ${n + 2}-gram table is inconsistent at slot ${badSlot}. Recompile it.`);
  if (used !== size || used >= capacity)
    throw fail(`the ${n + 2}-gram table holds ${used} entries, the header says ${size} of ${capacity} slots.`);
}
