import type { AlignmentStep } from './types.js';
import { internWords } from './tokenize.js';

/** sclite's DP weights (`doc/sclite.htm`): correct 0, insertion 3, deletion 3, substitution 4. */
export const SCLITE_WEIGHTS = { correct: 0, insertion: 3, deletion: 3, substitution: 4 } as const;

const SUB = SCLITE_WEIGHTS.substitution;
const DEL = SCLITE_WEIGHTS.deletion;
const INS = SCLITE_WEIGHTS.insertion;

/** @internal Op codes in {@link alignIds}'s output buffer. */
export const OP_C = 0;
/** @internal */
export const OP_S = 1;
/** @internal */
export const OP_D = 2;
/** @internal */
export const OP_I = 3;

// Scratch buffers shared by every call: scoring 100k utterances must not allocate 100k tables.
let table = new Int32Array(1024);
let ops = new Uint8Array(256);

/**
 * @internal The raw alignment of the last {@link alignIds} call: `ops[length-1]` is the first
 * column and `ops[0]` the last (the backtrace writes it backwards). Valid until the next call.
 */
export function lastOps(): Uint8Array {
  return ops;
}

/**
 * @internal Aligns two token-id sequences with sclite's weights and tie-breaking and leaves the
 * ops (in reverse) in {@link lastOps}.
 *
 * Tie-breaking: the backtrace starts at the end of both sequences and, among predecessors with
 * equal cost, prefers the diagonal (correct or substitution), then an insertion, then a deletion.
 * This reproduces sclite 2.10's alignments column for column (checked on 3,000 random pairs).
 *
 * @returns The number of alignment columns.
 */
export function alignIds(ref: ArrayLike<number>, n: number, hyp: ArrayLike<number>, m: number): number {
  const w = m + 1;
  const size = (n + 1) * w;
  if (table.length < size) table = new Int32Array(Math.max(size, table.length * 2));
  if (ops.length < n + m) ops = new Uint8Array(Math.max(n + m, ops.length * 2));
  const t = table;
  for (let j = 0; j <= m; j++) t[j] = j * INS;
  for (let i = 1; i <= n; i++) {
    const row = i * w;
    const prev = row - w;
    const r = ref[i - 1];
    t[row] = i * DEL;
    let left = i * DEL;
    for (let j = 1; j <= m; j++) {
      let best = t[prev + j - 1]! + (r === hyp[j - 1] ? 0 : SUB);
      const del = t[prev + j]! + DEL;
      if (del < best) best = del;
      const ins = left + INS;
      if (ins < best) best = ins;
      t[row + j] = best;
      left = best;
    }
  }
  let i = n;
  let j = m;
  let k = 0;
  const o = ops;
  while (i > 0 && j > 0) {
    const here = t[i * w + j]!;
    const same = ref[i - 1] === hyp[j - 1];
    if (t[(i - 1) * w + j - 1]! + (same ? 0 : SUB) === here) {
      o[k++] = same ? OP_C : OP_S;
      i--;
      j--;
    } else if (t[i * w + j - 1]! + INS === here) {
      o[k++] = OP_I;
      j--;
    } else {
      o[k++] = OP_D;
      i--;
    }
  }
  while (j > 0) {
    o[k++] = OP_I;
    j--;
  }
  while (i > 0) {
    o[k++] = OP_D;
    i--;
  }
  return k;
}

/**
 * Aligns a reference and a hypothesis token sequence the way NIST sclite does: minimum total
 * weight with correct 0, insertion 3, deletion 3, substitution 4, and sclite's tie-breaking.
 * Tokens are compared exactly (case-sensitive; normalise first, see {@link librispeechNormalizer}).
 *
 * Because a substitution (4) costs more than an insertion or deletion alone (3), S + D + I of this
 * alignment can exceed the unit-cost edit distance ({@link wordEditDistance}): `p q r s t` vs
 * `s t u v w` aligns as 3 D + 3 I (weight 18) rather than 5 S (weight 20). It never exceeds 4/3
 * of it.
 *
 * @param ref - Reference tokens.
 * @param hyp - Hypothesis tokens.
 * @returns The alignment columns in order.
 * @example
 * ```ts
 * alignWords(['the', 'cat', 'sat'], ['the', 'bat']);
 * // [{op:'C',ref:'the',hyp:'the'}, {op:'D',ref:'cat'}, {op:'S',ref:'sat',hyp:'bat'}]  (sclite's choice among equal-weight alignments)
 * ```
 */
export function alignWords(ref: readonly string[], hyp: readonly string[]): AlignmentStep[] {
  const ids = new Map<string, number>();
  const r = internWords(ids, ref);
  const h = internWords(ids, hyp);
  const length = alignIds(r, r.length, h, h.length);
  return stepsFromOps(lastOps(), length, ref, 0, hyp, 0);
}

/** @internal Turns the reversed op buffer into alignment steps over token arrays starting at the given offsets. */
export function stepsFromOps(
  reversedOps: Uint8Array,
  length: number,
  ref: readonly string[],
  refStart: number,
  hyp: readonly string[],
  hypStart: number,
): AlignmentStep[] {
  const steps: AlignmentStep[] = new Array<AlignmentStep>(length);
  let i = refStart;
  let j = hypStart;
  for (let k = length - 1, s = 0; k >= 0; k--, s++) {
    const op = reversedOps[k]!;
    if (op === OP_C) steps[s] = { op: 'C', ref: ref[i++]!, hyp: hyp[j++]! };
    else if (op === OP_S) steps[s] = { op: 'S', ref: ref[i++]!, hyp: hyp[j++]! };
    else if (op === OP_D) steps[s] = { op: 'D', ref: ref[i++]! };
    else steps[s] = { op: 'I', hyp: hyp[j++]! };
  }
  return steps;
}
