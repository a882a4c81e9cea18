import { distance } from 'fastest-levenshtein';
import { internWords } from './tokenize.js';

/** fastest-levenshtein indexes a 65,536-entry table by UTF-16 code unit: one code unit per distinct word. */
export const MAX_CODE_UNIT_VOCABULARY = 0x10000;

let codes = new Uint16Array(256);
let row = new Int32Array(256);

/** @internal Builds a string whose code units are `ids[0..n)`, which must all be < 65,536. */
export function idsToCodeUnits(ids: ArrayLike<number>, start: number, n: number): string {
  if (codes.length < n) codes = new Uint16Array(Math.max(n, codes.length * 2));
  for (let i = 0; i < n; i++) codes[i] = ids[start + i]!;
  // apply() with a huge array overflows the stack, so long inputs go in chunks.
  if (n <= 4096) return String.fromCharCode.apply(null, codes.subarray(0, n) as unknown as number[]);
  let out = '';
  for (let i = 0; i < n; i += 4096) {
    out += String.fromCharCode.apply(null, codes.subarray(i, Math.min(n, i + 4096)) as unknown as number[]);
  }
  return out;
}

/**
 * @internal Unit-cost Levenshtein distance over integer ids with a single DP row: the fallback
 * when a comparison has more than 65,536 distinct tokens, and the reference the fast path is
 * tested against.
 */
export function unitEditDistanceIds(
  a: ArrayLike<number>,
  aStart: number,
  n: number,
  b: ArrayLike<number>,
  bStart: number,
  m: number,
): number {
  if (n === 0) return m;
  if (m === 0) return n;
  if (row.length < m + 1) row = new Int32Array(Math.max(m + 1, row.length * 2));
  const r = row;
  for (let j = 0; j <= m; j++) r[j] = j;
  for (let i = 1; i <= n; i++) {
    let diag = r[0]!;
    r[0] = i;
    const x = a[aStart + i - 1];
    for (let j = 1; j <= m; j++) {
      const up = r[j]!;
      let best = diag + (x === b[bStart + j - 1] ? 0 : 1);
      if (up + 1 < best) best = up + 1;
      if (r[j - 1]! + 1 < best) best = r[j - 1]! + 1;
      r[j] = best;
      diag = up;
    }
  }
  return r[m]!;
}

/**
 * @internal Unit-cost distance of two id sequences, through fastest-levenshtein when every id
 * fits in one UTF-16 code unit, after re-numbering the pair's own tokens when it does not, and
 * through the DP row when the pair alone has more than 65,536 distinct tokens.
 */
export function idsEditDistance(
  a: ArrayLike<number>,
  aStart: number,
  n: number,
  b: ArrayLike<number>,
  bStart: number,
  m: number,
): number {
  let max = 0;
  for (let i = 0; i < n; i++) if (a[aStart + i]! > max) max = a[aStart + i]!;
  for (let j = 0; j < m; j++) if (b[bStart + j]! > max) max = b[bStart + j]!;
  if (max < MAX_CODE_UNIT_VOCABULARY) {
    return distance(idsToCodeUnits(a, aStart, n), idsToCodeUnits(b, bStart, m));
  }
  const local = new Map<number, number>();
  const renumber = (src: ArrayLike<number>, start: number, len: number): Int32Array => {
    const out = new Int32Array(len);
    for (let i = 0; i < len; i++) {
      const id = src[start + i]!;
      let k = local.get(id);
      if (k === undefined) {
        k = local.size;
        local.set(id, k);
      }
      out[i] = k;
    }
    return out;
  };
  const ra = renumber(a, aStart, n);
  const rb = renumber(b, bStart, m);
  if (local.size <= MAX_CODE_UNIT_VOCABULARY) return distance(idsToCodeUnits(ra, 0, n), idsToCodeUnits(rb, 0, m));
  return unitEditDistanceIds(ra, 0, n, rb, 0, m);
}

/**
 * Unit-cost (Levenshtein) edit distance between two word sequences: the minimum number of
 * substitutions, deletions and insertions, each costing 1. This is the number jiwer and
 * SpeechBrain report. Runs fastest-levenshtein's bit-parallel algorithm with each distinct word
 * mapped to one UTF-16 code unit; beyond 65,536 distinct words it falls back to a DP table.
 *
 * It can be smaller than the S + D + I of sclite's weighted alignment ({@link alignWords}); the
 * law is `wordEditDistance ≤ S + D + I ≤ 4/3 · wordEditDistance`.
 *
 * @param ref - Reference words.
 * @param hyp - Hypothesis words.
 * @returns The edit distance (an integer ≥ 0).
 * @example
 * ```ts
 * wordEditDistance(['the', 'cat', 'sat'], ['the', 'bat']); // 2
 * ```
 */
export function wordEditDistance(ref: readonly string[], hyp: readonly string[]): number {
  const ids = new Map<string, number>();
  const a = internWords(ids, ref);
  const b = internWords(ids, hyp);
  if (ids.size <= MAX_CODE_UNIT_VOCABULARY)
    return distance(idsToCodeUnits(a, 0, a.length), idsToCodeUnits(b, 0, b.length));
  return unitEditDistanceIds(a, 0, a.length, b, 0, b.length);
}
