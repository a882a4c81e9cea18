import type { AsrqError } from '@asrq/core';
import { FNV_OFFSET, FNV_PRIME } from './byte-vocab.js';
import { CtcError } from '../errors.js';

/**
 * The error of a broken ARPA file.
 * @param name - File name.
 * @param line - 1-based line number.
 * @param message - What is wrong.
 * @returns AsrqError `LM_BAD_ARPA` naming `file:line`.
 */
export function badArpa(name: string, line: number, message: string): AsrqError {
  const location = `${name}:${line}`;
  return new CtcError('LM_BAD_ARPA', `${location}: ${message}`, { location });
}

/** @returns The index of the next `\n` at or after `pos`, or `length` (a plain loop: Buffer#indexOf costs a native call per line). */
export function lineEndOf(bytes: Uint8Array, pos: number, length: number): number {
  let end = pos;
  while (end < length && bytes[end] !== 10) end++;
  return end;
}

/** Field spans of one n-gram line, reused from line to line: field i is bytes[starts[i], ends[i]). */
export class LineFields {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** FNV-1a hash of each word field (fields 1..order; 0 for the numbers). */
  readonly hashes: Int32Array;
  /** Index of the line's `\n` (or the buffer's length) after {@link LineFields.split}. */
  lineEnd = 0;

  /** @param room - Fields stored per line; more are counted, not stored. */
  constructor(room: number) {
    this.starts = new Int32Array(room);
    this.ends = new Int32Array(room);
    this.hashes = new Int32Array(room);
  }

  /**
   * Splits the line starting at `start` on spaces, tabs and carriage returns, in one pass that
   * also finds the line's end and hashes the word fields (1..`order`) as the vocabulary lookup does.
   * @returns The number of fields.
   */
  split(bytes: Uint8Array, start: number, length: number, order: number): number {
    const { starts, ends, hashes } = this;
    const room = starts.length;
    let count = 0;
    let i = start;
    for (;;) {
      let c = i < length ? bytes[i]! : 10;
      while (c === 32 || c === 9 || c === 13) c = ++i < length ? bytes[i]! : 10;
      if (c === 10) break;
      const fieldStart = i;
      let h = 0;
      if (count >= 1 && count <= order) {
        h = FNV_OFFSET;
        while (c !== 32 && c !== 9 && c !== 13 && c !== 10) {
          h = Math.imul(h ^ c, FNV_PRIME);
          c = ++i < length ? bytes[i]! : 10;
        }
      } else {
        // Numbers are not looked up: no hash.
        while (c !== 32 && c !== 9 && c !== 13 && c !== 10) c = ++i < length ? bytes[i]! : 10;
      }
      if (count < room) {
        starts[count] = fieldStart;
        ends[count] = i;
        hashes[count] = h;
      }
      count++;
    }
    this.lineEnd = i;
    return count;
  }
}
