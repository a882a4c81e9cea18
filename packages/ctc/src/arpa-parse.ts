import { AsrqError } from '@asrq/core';
import { ByteVocab, decodeWord } from './byte-vocab.js';
import { parseDecimal } from './parse-decimal.js';
import { NgramBatch } from './ngram-batch.js';
import { NgramTable } from './ngram-table.js';
import { CtcError } from './errors.js';

/** The contents of an ARPA file in packed form. */
export interface ArpaData {
  /** id -> word, in the order of the 1-grams section. */
  words: string[];
  /** word -> id. */
  vocab: Map<string, number>;
  /** Unigram log10 probabilities by word id. */
  unigramProb: Float32Array;
  /** Unigram log10 backoffs by word id. */
  unigramBackoff: Float32Array;
  /** Tables for orders 2..N (index 0 = order 2). */
  tables: NgramTable[];
  /** Declared n-gram counts per order. */
  counts: number[];
}

function bad(name: string, line: number, message: string): AsrqError {
  const location = `${name}:${line}`;
  return new CtcError('LM_BAD_ARPA', `${location}: ${message}`, { location });
}

const enum Section {
  Preamble,
  Header,
  Ngrams,
  End,
}

const MAX_ORDER = 7; // n-gram orders beyond this are not supported (the LM state packs the context length in 3 bits)
const utf8 = new TextDecoder();

/** @returns The index of the next `\n` at or after `pos`, or `length` (a plain loop: Buffer#indexOf costs a native call per line). */
function lineEndOf(bytes: Uint8Array, pos: number, length: number): number {
  let end = pos;
  while (end < length && bytes[end] !== 10) end++;
  return end;
}

/**
 * Splits the line starting at `start` on spaces, tabs and carriage returns into field spans,
 * with each field's FNV-1a hash (the vocabulary lookup's) computed on the way, in one pass that
 * also finds the line's end. Spans beyond the arrays' length are counted, not stored.
 * @returns The number of fields; `lineEnd[0]` receives the index of the `\n` (or `length`).
 */
function splitLine(bytes: Uint8Array, start: number, length: number, starts: Int32Array, ends: Int32Array, hashes: Int32Array, lineEnd: Int32Array): number {
  let count = 0;
  let i = start;
  const room = starts.length;
  for (;;) {
    let c = i < length ? bytes[i]! : 10;
    while (c === 32 || c === 9 || c === 13) c = ++i < length ? bytes[i]! : 10;
    if (c === 10) break;
    const fieldStart = i;
    let h = 0x811c9dc5 | 0;
    while (c !== 32 && c !== 9 && c !== 13 && c !== 10) {
      h = Math.imul(h ^ c, 0x01000193);
      c = ++i < length ? bytes[i]! : 10;
    }
    if (count < room) {
      starts[count] = fieldStart;
      ends[count] = i;
      hashes[count] = h;
    }
    count++;
  }
  lineEnd[0] = i;
  return count;
}

/**
 * Parses ARPA text into packed tables. Accepts KenLM's strict output and the looser files
 * other toolkits write: spaces instead of tabs, extra spaces around `=` in counts, missing
 * backoff columns, `\r\n` line endings, text before `\data\`.
 *
 * The n-gram lines are read straight from the UTF-8 bytes: numbers by a decimal parser that
 * rounds exactly as `Number()` does (it falls back to `Number()` when it can't guarantee that),
 * words looked up by their bytes, so no string is made per line.
 *
 * @param input - The ARPA file's text or UTF-8 bytes.
 * @param name - File name used in error messages.
 * @returns The packed n-grams.
 * @throws AsrqError `LM_BAD_ARPA` naming `file:line` for a broken header, section or n-gram line.
 */
export function parseArpa(input: string | Uint8Array, name: string): ArpaData {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const counts: number[] = [];
  let section: Section = Section.Preamble;
  let order = 0; // order of the current n-gram section
  let seen = 0; // n-grams read in the current section
  let sectionLine = 0;
  let lineNo = 0;
  const words: string[] = [];
  const vocab = new ByteVocab(bytes);
  let unigramProb = new Float32Array(0);
  let unigramBackoff = new Float32Array(0);
  const tables: NgramTable[] = [];
  const ids = new Uint32Array(MAX_ORDER);
  // Field spans of the current line: starts[i]..ends[i].
  const starts = new Int32Array(MAX_ORDER + 3);
  const ends = new Int32Array(MAX_ORDER + 3);
  const hashes = new Int32Array(MAX_ORDER + 3);
  // The previous line's prefix (ids of its first order-1 words) and its slot: sorted files list
  // many n-grams with the same context in a row, and those skip the prefix-chain walk.
  const previousIds = new Int32Array(MAX_ORDER).fill(-1);
  // The previous n-gram line's words by position: id, hash, byte length, start.
  const previousWordId = new Int32Array(MAX_ORDER).fill(-1);
  const previousWordHash = new Int32Array(MAX_ORDER);
  const previousWordLength = new Int32Array(MAX_ORDER).fill(-1);
  const previousWordStart = new Int32Array(MAX_ORDER);
  let previousSlot = -1;
  const number = new Float64Array(1);
  const lineText = (from: number, to: number): string => utf8.decode(bytes.subarray(from, to));

  const batch = new NgramBatch(1024, MAX_ORDER);
  const flush = (): void =>
    batch.flush(tables, order, (i, why, depth) => {
      const line = batch.line[i]!;
      if (why === 'duplicate') throw bad(name, line, `duplicate ${order}-gram ${JSON.stringify(lineText(batch.spanStart[i]!, batch.spanEnd[i]!))}.`);
      if (why === 'prefixes') throw bad(name, line, `too many implied ${depth}-gram prefixes; the file is inconsistent with its header counts.`);
      throw bad(name, line, `too many ${order}-grams; the file is inconsistent with its header counts.`);
    });
  // Errors of a line are raised after the lines before it are stored, so the first bad line is the one reported.
  const lineError = (line: number, message: string): AsrqError => {
    flush();
    return bad(name, line, message);
  };
  const closeSection = (): void => {
    flush();
    if (order > 0 && seen !== counts[order - 1]) {
      throw bad(name, sectionLine, `the header declares ngram ${order}=${counts[order - 1]} but the \\${order}-grams: section has ${seen} entries. Fix the count in \\data\\ or the truncated section.`);
    }
  };
  const readNumber = (i: number): number => {
    if (parseDecimal(bytes, starts[i]!, ends[i]!, number)) return number[0]!;
    return Number(lineText(starts[i]!, ends[i]!));
  };

  let pos = 0;
  const length = bytes.length;
  const endOut = new Int32Array(1);
  while (pos <= length) {
    lineNo++;
    const lineStart = pos;
    if (section === Section.Ngrams && pos < length && bytes[pos] !== 92 /* \ */) {
      // Hot path: one pass finds the fields and the line's end.
      const fieldCount = splitLine(bytes, lineStart, length, starts, ends, hashes, endOut);
      const end = endOut[0]!;
      pos = end + 1;
      const lineEnd = end > lineStart && bytes[end - 1] === 13 ? end - 1 : end;
      if (fieldCount === 0) continue;
      if (fieldCount !== order + 1 && fieldCount !== order + 2) {
        throw lineError(lineNo, `expected "log10prob w1 .. w${order} [backoff]" (${order + 1} or ${order + 2} fields) in the \\${order}-grams: section, found ${fieldCount}: ${JSON.stringify(lineText(lineStart, Math.min(lineEnd, lineStart + 120)))}.`);
      }
      const prob = readNumber(0);
      const backoff = fieldCount === order + 2 ? readNumber(order + 1) : 0;
      if (!Number.isFinite(prob) || prob > 0 || !Number.isFinite(backoff)) {
        throw lineError(lineNo, `bad number in ${JSON.stringify(lineText(lineStart, Math.min(lineEnd, lineStart + 120)))}: probabilities must be finite log10 values <= 0.`);
      }
      if (seen >= counts[order - 1]!) {
        throw lineError(lineNo, `more ${order}-grams than the header's ngram ${order}=${counts[order - 1]}. Fix the count in \\data\\.`);
      }
      seen++;
      if (order === 1) {
        const start = starts[1]!;
        const stop = ends[1]!;
        if (vocab.find(start, stop, hashes[1]!) >= 0) throw lineError(lineNo, `the word ${JSON.stringify(lineText(start, stop))} is listed twice in \\1-grams:.`);
        const id = words.length;
        vocab.add(start, stop, hashes[1]!, id);
        words.push(decodeWord(bytes, start, stop));
        unigramProb[id] = prob;
        unigramBackoff[id] = backoff;
        continue;
      }
      for (let k = 0; k < order; k++) {
        const start = starts[k + 1]!;
        const stop = ends[k + 1]!;
        const hash = hashes[k + 1]!;
        // Files grouped by context repeat the previous line's first words: compare bytes before looking up.
        let id = -1;
        const before = previousWordStart[k]!;
        if (hash === previousWordHash[k] && stop - start === previousWordLength[k]) {
          let i = 0;
          while (i < stop - start && bytes[start + i] === bytes[before + i]) i++;
          if (i === stop - start) id = previousWordId[k]!;
        }
        if (id < 0) {
          id = vocab.find(start, stop, hash);
          if (id < 0) throw lineError(lineNo, `the word ${JSON.stringify(lineText(start, stop))} is not in the \\1-grams: section.`);
          previousWordId[k] = id;
          previousWordHash[k] = hash;
          previousWordLength[k] = stop - start;
        }
        previousWordStart[k] = start;
        ids[k] = id;
      }
      // Stored a batch at a time (see NgramBatch); the prefix chain is walked then.
      if (batch.add(ids, order, prob, backoff, lineNo, starts[1]!, ends[order]!)) flush();
      continue;
    }
    const end = lineEndOf(bytes, pos, length);
    const lineEnd = end > lineStart && bytes[end - 1] === 13 ? end - 1 : end;
    pos = end + 1;
    const trimmed = lineText(lineStart, lineEnd).trim();
    if (trimmed.length === 0) continue;
    if (section === Section.Preamble) {
      if (trimmed === '\\data\\') {
        section = Section.Header;
        sectionLine = lineNo;
      }
      continue;
    }
    if (section === Section.Header) {
      const match = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(trimmed);
      if (match) {
        const n = Number(match[1]);
        if (n !== counts.length + 1) throw bad(name, lineNo, `expected "ngram ${counts.length + 1}=<count>", found ${JSON.stringify(trimmed)}; orders must be listed 1, 2, 3, ...`);
        if (n > MAX_ORDER) throw bad(name, lineNo, `order ${n} is not supported (at most ${MAX_ORDER}).`);
        const count = Number(match[2]);
        // Each n-gram line takes at least 2 bytes per field; a larger count can't be true and would only allocate.
        if (count > length / (2 * (n + 1))) throw bad(name, lineNo, `the header declares ngram ${n}=${match[2]}, more n-grams than a file of ${length} bytes can hold. Fix the count in \\data\\.`);
        counts.push(count);
        continue;
      }
      if (!/^\\1-grams:$/.test(trimmed)) {
        throw bad(name, lineNo, `expected "ngram N=count" or "\\1-grams:" in the \\data\\ header, found ${JSON.stringify(trimmed.slice(0, 120))}.`);
      }
      if (counts.length === 0) throw bad(name, lineNo, 'the \\data\\ header lists no "ngram N=count" lines.');
      unigramProb = new Float32Array(counts[0]!);
      unigramBackoff = new Float32Array(counts[0]!);
      vocab.reserve(counts[0]!);
      for (let n = 2; n <= counts.length; n++) tables.push(new NgramTable(counts[n - 1]!));
      section = Section.Ngrams;
      order = 1;
      seen = 0;
      sectionLine = lineNo;
      continue;
    }
    if (section === Section.Ngrams) {
      closeSection();
      if (trimmed === '\\end\\') {
        section = Section.End;
        continue;
      }
      const match = /^\\(\d+)-grams:$/.exec(trimmed);
      if (!match || Number(match[1]) !== order + 1 || order + 1 > counts.length) {
        throw bad(name, lineNo, `expected "\\${order + 1 > counts.length ? 'end' : `${order + 1}-grams:`}\\", found ${JSON.stringify(trimmed.slice(0, 120))}.`);
      }
      order++;
      seen = 0;
      sectionLine = lineNo;
      continue;
    }
    if (section === Section.End) {
      throw bad(name, lineNo, `unexpected text after \\end\\: ${JSON.stringify(trimmed.slice(0, 120))}.`);
    }
  }
  if (section === Section.Preamble) throw bad(name, lineNo, 'no \\data\\ header found; this is not an ARPA language model.');
  if (section !== Section.End) {
    if (section === Section.Ngrams) flush();
    if (section === Section.Ngrams && order === counts.length) closeSection();
    throw bad(name, lineNo, 'the file ends before \\end\\ (truncated?).');
  }
  return { words, vocab: vocab.toMap(words), unigramProb, unigramBackoff, tables, counts };
}
