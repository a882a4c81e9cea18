import type { AsrqError } from '@asrq/core';
import { badArpa, lineEndOf, LineFields } from './arpa-line.js';
import { ByteVocab, decodeWord } from './byte-vocab.js';
import { NgramBatch } from './ngram-batch.js';
import { NgramTable } from './ngram-table.js';
import { parseDecimal } from './parse-decimal.js';

// biome-ignore lint/suspicious/noConstEnum: inlined as numbers in the parser's per-line loop; internal to this file, never exported
const enum Section {
  Preamble,
  Header,
  Ngrams,
  End,
}

/** N-gram orders beyond this are not supported (the LM state packs the context length in 3 bits). */
export const MAX_ARPA_ORDER = 7;
const utf8 = new TextDecoder();

/**
 * One pass over an ARPA file's bytes (see `parseArpa`): the section state machine, the n-gram
 * lines read without making strings, and the packed tables they fill.
 */
export class ArpaReader {
  /** Declared n-gram counts per order. */
  readonly counts: number[] = [];
  /** id -> word. */
  readonly words: string[] = [];
  /** Tables for orders 2..N. */
  readonly tables: NgramTable[] = [];
  unigramProb = new Float32Array(0);
  unigramBackoff = new Float32Array(0);
  private readonly vocab: ByteVocab;
  private section: Section = Section.Preamble;
  private order = 0; // order of the current n-gram section
  private seen = 0; // n-grams read in the current section
  private sectionLine = 0;
  private lineNo = 0;
  private readonly fields = new LineFields(MAX_ARPA_ORDER + 3);
  private readonly ids = new Uint32Array(MAX_ARPA_ORDER);
  // The previous n-gram line's words by position (id, hash, byte length, start): files grouped
  // by context repeat the previous line's first words, which are then compared, not looked up.
  private readonly previousId = new Int32Array(MAX_ARPA_ORDER).fill(-1);
  private readonly previousHash = new Int32Array(MAX_ARPA_ORDER);
  private readonly previousLength = new Int32Array(MAX_ARPA_ORDER).fill(-1);
  private readonly previousStart = new Int32Array(MAX_ARPA_ORDER);
  private readonly batch = new NgramBatch(1024, MAX_ARPA_ORDER);
  private readonly number = new Float64Array(1);

  /**
   * @param bytes - The file's UTF-8 bytes.
   * @param name - File name for messages.
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly name: string,
  ) {
    this.vocab = new ByteVocab(bytes);
  }

  /**
   * Reads every line.
   * @returns The string-keyed vocabulary (the tables and arrays are this reader's fields).
   * @throws AsrqError `LM_BAD_ARPA` naming `file:line`.
   */
  read(): Map<string, number> {
    const bytes = this.bytes;
    const length = bytes.length;
    let pos = 0;
    while (pos <= length) {
      this.lineNo++;
      // Hot path: an n-gram line (section headers start with a backslash).
      if (this.section === Section.Ngrams && pos < length && bytes[pos] !== 92 /* \ */) pos = this.ngramLine(pos);
      else pos = this.otherLine(pos);
    }
    this.finish();
    return this.vocab.toMap(this.words);
  }

  private text(from: number, to: number): string {
    return utf8.decode(this.bytes.subarray(from, to));
  }

  private flush(): void {
    const batch = this.batch;
    const order = this.order;
    batch.flush(this.tables, order, (i, why, depth) => {
      const line = batch.line[i]!;
      if (why === 'duplicate')
        throw badArpa(
          this.name,
          line,
          `duplicate ${order}-gram ${JSON.stringify(this.text(batch.spanStart[i]!, batch.spanEnd[i]!))}.`,
        );
      if (why === 'prefixes')
        throw badArpa(
          this.name,
          line,
          `too many implied ${depth}-gram prefixes; the file is inconsistent with its header counts.`,
        );
      throw badArpa(this.name, line, `too many ${order}-grams; the file is inconsistent with its header counts.`);
    });
  }

  // Errors of a line are raised after the lines before it are stored, so the first bad line is the one reported.
  private lineError(message: string): AsrqError {
    this.flush();
    return badArpa(this.name, this.lineNo, message);
  }

  private closeSection(): void {
    this.flush();
    const { order, counts, seen } = this;
    if (order > 0 && seen !== counts[order - 1]) {
      throw badArpa(
        this.name,
        this.sectionLine,
        `the header declares ngram ${order}=${counts[order - 1]} but the \\${order}-grams: section has ${seen} entries. Fix the count in \\data\\ or the truncated section.`,
      );
    }
  }

  /** @returns The first 120 bytes of the line (without its `\r`), quoted, for messages. */
  private shown(lineStart: number, end: number): string {
    const lineEnd = end > lineStart && this.bytes[end - 1] === 13 ? end - 1 : end;
    return JSON.stringify(this.text(lineStart, Math.min(lineEnd, lineStart + 120)));
  }

  private readNumber(i: number): number {
    const { starts, ends } = this.fields;
    if (parseDecimal(this.bytes, starts[i]!, ends[i]!, this.number)) return this.number[0]!;
    return Number(this.text(starts[i]!, ends[i]!));
  }

  /** Reads one n-gram line; @returns the position of the next line. */
  private ngramLine(lineStart: number): number {
    const bytes = this.bytes;
    const order = this.order;
    const fieldCount = this.fields.split(bytes, lineStart, bytes.length, order);
    const end = this.fields.lineEnd;
    if (fieldCount === 0) return end + 1;
    if (fieldCount !== order + 1 && fieldCount !== order + 2) {
      throw this.lineError(
        `expected "log10prob w1 .. w${order} [backoff]" (${order + 1} or ${order + 2} fields) in the \\${order}-grams: section, found ${fieldCount}: ${this.shown(lineStart, end)}.`,
      );
    }
    const prob = this.readNumber(0);
    const backoff = fieldCount === order + 2 ? this.readNumber(order + 1) : 0;
    if (!Number.isFinite(prob) || prob > 0 || !Number.isFinite(backoff)) {
      throw this.lineError(
        `bad number in ${this.shown(lineStart, end)}: probabilities must be finite log10 values <= 0.`,
      );
    }
    if (this.seen >= this.counts[order - 1]!) {
      throw this.lineError(
        `more ${order}-grams than the header's ngram ${order}=${this.counts[order - 1]}. Fix the count in \\data\\.`,
      );
    }
    this.seen++;
    if (order === 1) this.unigram(prob, backoff);
    else {
      this.lookUpWords(order);
      // Stored a batch at a time (see NgramBatch); the prefix chain is walked then.
      if (this.batch.add(this.ids, order, prob, backoff, this.lineNo, this.fields.starts[1]!, this.fields.ends[order]!))
        this.flush();
    }
    return end + 1;
  }

  private unigram(prob: number, backoff: number): void {
    const start = this.fields.starts[1]!;
    const stop = this.fields.ends[1]!;
    const hash = this.fields.hashes[1]!;
    if (this.vocab.find(start, stop, hash) >= 0)
      throw this.lineError(`the word ${JSON.stringify(this.text(start, stop))} is listed twice in \\1-grams:.`);
    const id = this.words.length;
    this.vocab.add(start, stop, hash, id);
    this.words.push(decodeWord(this.bytes, start, stop));
    this.unigramProb[id] = prob;
    this.unigramBackoff[id] = backoff;
  }

  /** Fills `ids[0..order)` with the ids of the line's words. */
  private lookUpWords(order: number): void {
    const bytes = this.bytes;
    const { starts, ends, hashes } = this.fields;
    for (let k = 0; k < order; k++) {
      const start = starts[k + 1]!;
      const stop = ends[k + 1]!;
      const hash = hashes[k + 1]!;
      let id = -1;
      if (hash === this.previousHash[k] && stop - start === this.previousLength[k]) {
        const before = this.previousStart[k]!;
        let i = 0;
        while (i < stop - start && bytes[start + i] === bytes[before + i]) i++;
        if (i === stop - start) id = this.previousId[k]!;
      }
      if (id < 0) {
        id = this.vocab.find(start, stop, hash);
        if (id < 0)
          throw this.lineError(`the word ${JSON.stringify(this.text(start, stop))} is not in the \\1-grams: section.`);
        this.previousId[k] = id;
        this.previousHash[k] = hash;
        this.previousLength[k] = stop - start;
      }
      this.previousStart[k] = start;
      this.ids[k] = id;
    }
  }

  /** Reads a line outside the n-gram lists (preamble, header, section markers); @returns the position of the next line. */
  private otherLine(lineStart: number): number {
    const bytes = this.bytes;
    const end = lineEndOf(bytes, lineStart, bytes.length);
    const trimmed = this.text(lineStart, end > lineStart && bytes[end - 1] === 13 ? end - 1 : end).trim();
    if (trimmed.length === 0) return end + 1;
    switch (this.section) {
      case Section.Preamble:
        if (trimmed === '\\data\\') {
          this.section = Section.Header;
          this.sectionLine = this.lineNo;
        }
        break;
      case Section.Header:
        this.headerLine(trimmed);
        break;
      case Section.Ngrams:
        this.sectionMarker(trimmed);
        break;
      case Section.End:
        throw badArpa(
          this.name,
          this.lineNo,
          `unexpected text after \\end\\: ${JSON.stringify(trimmed.slice(0, 120))}.`,
        );
    }
    return end + 1;
  }

  private headerLine(trimmed: string): void {
    const { counts, name, lineNo } = this;
    const match = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(trimmed);
    if (match) {
      const n = Number(match[1]);
      if (n !== counts.length + 1)
        throw badArpa(
          name,
          lineNo,
          `expected "ngram ${counts.length + 1}=<count>", found ${JSON.stringify(trimmed)}; orders must be listed 1, 2, 3, ...`,
        );
      if (n > MAX_ARPA_ORDER) throw badArpa(name, lineNo, `order ${n} is not supported (at most ${MAX_ARPA_ORDER}).`);
      const count = Number(match[2]);
      // Each n-gram line takes at least 2 bytes per field; a larger count can't be true and would only allocate.
      if (count > this.bytes.length / (2 * (n + 1)))
        throw badArpa(
          name,
          lineNo,
          `the header declares ngram ${n}=${match[2]}, more n-grams than a file of ${this.bytes.length} bytes can hold. Fix the count in \\data\\.`,
        );
      counts.push(count);
      return;
    }
    if (!/^\\1-grams:$/.test(trimmed)) {
      throw badArpa(
        name,
        lineNo,
        `expected "ngram N=count" or "\\1-grams:" in the \\data\\ header, found ${JSON.stringify(trimmed.slice(0, 120))}.`,
      );
    }
    if (counts.length === 0) throw badArpa(name, lineNo, 'the \\data\\ header lists no "ngram N=count" lines.');
    this.unigramProb = new Float32Array(counts[0]!);
    this.unigramBackoff = new Float32Array(counts[0]!);
    this.vocab.reserve(counts[0]!);
    for (let n = 2; n <= counts.length; n++) this.tables.push(new NgramTable(counts[n - 1]!));
    this.section = Section.Ngrams;
    this.order = 1;
    this.seen = 0;
    this.sectionLine = lineNo;
  }

  private sectionMarker(trimmed: string): void {
    this.closeSection();
    if (trimmed === '\\end\\') {
      this.checkNoMissingSection();
      this.section = Section.End;
      return;
    }
    const { order, counts } = this;
    const match = /^\\(\d+)-grams:$/.exec(trimmed);
    if (!match || Number(match[1]) !== order + 1 || order + 1 > counts.length) {
      throw badArpa(
        this.name,
        this.lineNo,
        `expected "\\${order + 1 > counts.length ? 'end' : `${order + 1}-grams:`}\\", found ${JSON.stringify(trimmed.slice(0, 120))}.`,
      );
    }
    this.order++;
    this.seen = 0;
    this.sectionLine = this.lineNo;
  }

  /** At `\\end\\`: every order the header announces with n-grams must have had its section. */
  private checkNoMissingSection(): void {
    const { order, counts } = this;
    const missing = counts.map((count, i) => ({ n: i + 1, count })).filter((c) => c.n > order && c.count > 0);
    if (missing.length === 0) return;
    throw badArpa(
      this.name,
      this.lineNo,
      `the \\data\\ header announces ${missing.map((c) => `ngram ${c.n}=${c.count}`).join(', ')} but the file has no ${missing.map((c) => `\\${c.n}-grams:`).join(' or ')} section (it ends after \\${order}-grams:). ` +
        'The file is truncated or its header is wrong: regenerate it, or fix the counts in \\data\\.',
    );
  }

  private finish(): void {
    const section = this.section;
    if (section === Section.Preamble)
      throw badArpa(this.name, this.lineNo, 'no \\data\\ header found; this is not an ARPA language model.');
    if (section === Section.End) return;
    if (section === Section.Ngrams) this.flush();
    if (section === Section.Ngrams && this.order === this.counts.length) this.closeSection();
    throw badArpa(this.name, this.lineNo, 'the file ends before \\end\\ (truncated?).');
  }
}
