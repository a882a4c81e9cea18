import { ArpaReader } from './arpa-reader.js';
import type { NgramTable } from './ngram-table.js';

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

/**
 * Parses ARPA text into packed tables. Accepts KenLM's strict output and the looser files
 * other toolkits write: spaces instead of tabs, extra spaces around `=` in counts, missing
 * backoff columns, `\r\n` line endings, text before `\data\`.
 *
 * The n-gram lines are read straight from the UTF-8 bytes: numbers by a decimal parser that
 * rounds exactly as `Number()` does (it falls back to `Number()` when it can't guarantee that),
 * words looked up by their bytes, so no string is made per line (see {@link ArpaReader}).
 *
 * @param input - The ARPA file's text or UTF-8 bytes.
 * @param name - File name used in error messages.
 * @returns The packed n-grams.
 * @throws AsrqError `LM_BAD_ARPA` naming `file:line` for a broken header, section or n-gram line.
 */
export function parseArpa(input: string | Uint8Array, name: string): ArpaData {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const reader = new ArpaReader(bytes, name);
  const vocab = reader.read();
  const { words, unigramProb, unigramBackoff, tables, counts } = reader;
  return { words, vocab, unigramProb, unigramBackoff, tables, counts };
}
