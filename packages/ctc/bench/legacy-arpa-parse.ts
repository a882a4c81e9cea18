// The ARPA parser as it was before the byte-level rewrite, kept only so bench/lm-load.ts can compare speeds.
import { AsrqError } from '@asrq/core';
import { NgramTable } from './legacy-ngram-table.js';

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
  return new AsrqError('LM_BAD_ARPA', `${location}: ${message}`, { location });
}

const enum Section {
  Preamble,
  Header,
  Ngrams,
  End,
}

/**
 * Parses ARPA text into packed tables. Accepts KenLM's strict output and the looser files
 * other toolkits write: spaces instead of tabs, extra spaces around `=` in counts, missing
 * backoff columns, `\r\n` line endings, text before `\data\`.
 *
 * @param text - The ARPA file's text.
 * @param name - File name used in error messages.
 * @returns The packed n-grams.
 * @throws AsrqError `LM_BAD_ARPA` naming `file:line` for a broken header, section or n-gram line.
 */
export function legacyParseArpa(text: string, name: string): ArpaData {
  const counts: number[] = [];
  let section: Section = Section.Preamble;
  let order = 0; // order of the current n-gram section
  let seen = 0; // n-grams read in the current section
  let sectionLine = 0;
  let lineNo = 0;
  let words: string[] = [];
  const vocab = new Map<string, number>();
  let unigramProb = new Float32Array(0);
  let unigramBackoff = new Float32Array(0);
  const tables: NgramTable[] = [];
  const ids = new Uint32Array(16);
  const fields: string[] = [];

  const closeSection = (): void => {
    if (order > 0 && seen !== counts[order - 1]) {
      throw bad(
        name,
        sectionLine,
        `the header declares ngram ${order}=${counts[order - 1]} but the \\${order}-grams: section has ${seen} entries. Fix the count in \\data\\ or the truncated section.`,
      );
    }
  };

  let pos = 0;
  const length = text.length;
  while (pos <= length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = length;
    lineNo++;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const line = text.slice(pos, lineEnd);
    pos = end + 1;
    if (section === Section.Ngrams && line.length > 0 && line.charCodeAt(0) !== 92 /* \ */) {
      // Hot path: split on tabs/spaces without a regex.
      fields.length = 0;
      let i = 0;
      while (i < line.length) {
        let c = line.charCodeAt(i);
        while (i < line.length && (c === 32 || c === 9)) c = line.charCodeAt(++i);
        if (i >= line.length) break;
        const start = i;
        while (i < line.length && c !== 32 && c !== 9) c = line.charCodeAt(++i);
        fields.push(line.slice(start, i));
      }
      if (fields.length === 0) continue;
      if (fields.length !== order + 1 && fields.length !== order + 2) {
        throw bad(
          name,
          lineNo,
          `expected "log10prob w1 .. w${order} [backoff]" (${order + 1} or ${order + 2} fields) in the \\${order}-grams: section, found ${fields.length}: ${JSON.stringify(line.slice(0, 120))}.`,
        );
      }
      const prob = Number(fields[0]);
      const backoff = fields.length === order + 2 ? Number(fields[order + 1]) : 0;
      if (!Number.isFinite(prob) || prob > 0 || !Number.isFinite(backoff)) {
        throw bad(
          name,
          lineNo,
          `bad number in ${JSON.stringify(line.slice(0, 120))}: probabilities must be finite log10 values <= 0.`,
        );
      }
      if (seen >= counts[order - 1]!) {
        throw bad(
          name,
          lineNo,
          `more ${order}-grams than the header's ngram ${order}=${counts[order - 1]}. Fix the count in \\data\\.`,
        );
      }
      seen++;
      if (order === 1) {
        const word = fields[1]!;
        if (vocab.has(word)) throw bad(name, lineNo, `the word ${JSON.stringify(word)} is listed twice in \\1-grams:.`);
        const id = words.length;
        vocab.set(word, id);
        words.push(word);
        unigramProb[id] = prob;
        unigramBackoff[id] = backoff;
        continue;
      }
      for (let k = 0; k < order; k++) {
        const id = vocab.get(fields[k + 1]!);
        if (id === undefined)
          throw bad(name, lineNo, `the word ${JSON.stringify(fields[k + 1])} is not in the \\1-grams: section.`);
        ids[k] = id;
      }
      // Walk (and, for loose files, create) the prefix chain, then set the n-gram itself.
      let slot = ids[0]!;
      for (let k = 1; k < order; k++) {
        slot = tables[k - 1]!.insert(slot, ids[k]!);
        if (slot < 0)
          throw bad(
            name,
            lineNo,
            `too many implied ${k + 1}-gram prefixes; the file is inconsistent with its header counts.`,
          );
      }
      const table = tables[order - 2]!;
      if (!Number.isNaN(table.prob[slot]!))
        throw bad(name, lineNo, `duplicate ${order}-gram ${JSON.stringify(fields.slice(1, order + 1).join(' '))}.`);
      table.prob[slot] = prob;
      table.backoff[slot] = backoff;
      continue;
    }
    const trimmed = line.trim();
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
        if (n !== counts.length + 1)
          throw bad(
            name,
            lineNo,
            `expected "ngram ${counts.length + 1}=<count>", found ${JSON.stringify(trimmed)}; orders must be listed 1, 2, 3, ...`,
          );
        counts.push(Number(match[2]));
        continue;
      }
      if (!/^\\1-grams:$/.test(trimmed)) {
        throw bad(
          name,
          lineNo,
          `expected "ngram N=count" or "\\1-grams:" in the \\data\\ header, found ${JSON.stringify(trimmed.slice(0, 120))}.`,
        );
      }
      if (counts.length === 0) throw bad(name, lineNo, 'the \\data\\ header lists no "ngram N=count" lines.');
      unigramProb = new Float32Array(counts[0]!);
      unigramBackoff = new Float32Array(counts[0]!);
      words = [];
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
        throw bad(
          name,
          lineNo,
          `expected "\\${order + 1 > counts.length ? 'end' : `${order + 1}-grams:`}\\", found ${JSON.stringify(trimmed.slice(0, 120))}.`,
        );
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
  if (section === Section.Preamble)
    throw bad(name, lineNo, 'no \\data\\ header found; this is not an ARPA language model.');
  if (section !== Section.End) {
    if (section === Section.Ngrams && order === counts.length) closeSection();
    throw bad(name, lineNo, 'the file ends before \\end\\ (truncated?).');
  }
  return { words, vocab, unigramProb, unigramBackoff, tables, counts };
}
