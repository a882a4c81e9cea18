import type { Alignments } from './alignments.js';
import type { BeamEntries } from './beam-entries.js';
import type { PrefixTrie } from './prefix-trie.js';

const NEG_INF = Number.NEGATIVE_INFINITY;

/** @returns log(exp(a) + exp(b)), exact for -Infinity operands. */
export function logAdd(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** A frame treated as pure blank: every entry ends in blank, no token is expanded. */
export function skipBlankFrame(beam: BeamEntries, blankLogp: number): void {
  const { pb, pnb, vb, vnb, rb, rnb } = beam;
  for (let i = 0; i < beam.size; i++) {
    pb[i] = logAdd(pb[i]!, pnb[i]!) + blankLogp;
    pnb[i] = NEG_INF;
    const fromBlank = vb[i]! >= vnb[i]!;
    vb[i] = (fromBlank ? vb[i]! : vnb[i]!) + blankLogp;
    rb[i] = fromBlank ? rb[i]! : rnb[i]!;
    vnb[i] = NEG_INF;
  }
}

/** A frame's token candidates (filled by {@link frameCandidates}). */
export interface FrameCandidates {
  tokens: Int32Array;
  logps: Float64Array;
  count: number;
}

/**
 * The tokens of one frame worth expanding: those with log-prob >= `minLogProb` (or the best one
 * when none is), at most `topK`, the best first when there are more.
 */
export function frameCandidates(
  data: Float32Array,
  row: number,
  vocab: number,
  blank: number,
  minLogProb: number,
  topK: number,
  out: FrameCandidates,
): void {
  const { tokens, logps } = out;
  let count = 0;
  let bestToken = -1;
  let bestLogp = NEG_INF;
  for (let v = 0; v < vocab; v++) {
    if (v === blank) continue;
    const lp = data[row + v]!;
    if (lp > bestLogp) {
      bestLogp = lp;
      bestToken = v;
    }
    if (lp >= minLogProb) {
      tokens[count] = v;
      logps[count++] = lp;
    }
  }
  if (count === 0 && bestToken >= 0) {
    tokens[0] = bestToken;
    logps[0] = bestLogp;
    count = 1;
  }
  if (count > topK) {
    // Partial selection sort: topK is small.
    for (let i = 0; i < topK; i++) {
      let m = i;
      for (let j = i + 1; j < count; j++) if (logps[j]! > logps[m]!) m = j;
      const tt = tokens[i]!;
      tokens[i] = tokens[m]!;
      tokens[m] = tt;
      const tl = logps[i]!;
      logps[i] = logps[m]!;
      logps[m] = tl;
    }
    count = topK;
  }
  out.count = count;
}

/**
 * Ranks the next beam's entries by acoustic + LM so far (+ partial-word terms), drops those
 * more than `pruneLogProb` below the best, and copies the best `width` into `beam`.
 */
export function pruneInto(
  next: BeamEntries,
  trie: PrefixTrie,
  pruneLogProb: number,
  width: number,
  scores: Float64Array,
  order: Int32Array,
  beam: BeamEntries,
): void {
  const { nodes, pb, pnb } = next;
  const nextSize = next.size;
  let best = NEG_INF;
  for (let i = 0; i < nextSize; i++) {
    const node = nodes[i]!;
    const score = logAdd(pb[i]!, pnb[i]!) + trie.lmScore[node]! + trie.partialScore[node]!;
    scores[i] = score;
    if (score > best) best = score;
  }
  const floor = best + pruneLogProb;
  let kept = 0;
  for (let i = 0; i < nextSize; i++) if (scores[i]! >= floor) order[kept++] = i;
  if (kept > width) {
    const view = Array.from(order.subarray(0, kept));
    view.sort((a, b) => scores[b]! - scores[a]!);
    for (let i = 0; i < width; i++) order[i] = view[i]!;
    kept = width;
  }
  for (let i = 0; i < kept; i++) beam.copyFrom(next, order[i]!, i);
  beam.size = kept;
}

/** What {@link extendFrame} reads and writes: the two beams, the candidates, the trie and its scratch. */
export interface FrameBuffers {
  beam: BeamEntries;
  next: BeamEntries;
  candidates: FrameCandidates;
  trie: PrefixTrie;
  alignments: Alignments;
}

/**
 * One frame of prefix beam search: every entry of `beam` stays (blank, or its last token
 * repeated) or grows by a candidate token, into `next` (emptied first), summing path
 * probabilities per prefix and keeping each prefix's best path and its alignment record.
 * The trie's `slotOf` / `stampOf` are read at each use (arguments evaluate left to right, so
 * after `trie.child` may have grown them): the trie replaces them when it grows mid-utterance.
 */
export function extendFrame(buffers: FrameBuffers, t: number, blankLogp: number): void {
  const { beam, next, trie, alignments } = buffers;
  const { tokens, logps, count } = buffers.candidates;
  const stamp = t + 1;
  next.size = 0;
  for (let i = 0; i < beam.size; i++) {
    const node = beam.nodes[i]!;
    const pb = beam.pb[i]!;
    const pnb = beam.pnb[i]!;
    const vb = beam.vb[i]!;
    const vnb = beam.vnb[i]!;
    const total = logAdd(pb, pnb);
    const bestV = Math.max(vb, vnb);
    const bestR = vb >= vnb ? beam.rb[i]! : beam.rnb[i]!;
    const last = trie.token[node]!;
    let s = next.slotFor(node, stamp, trie.slotOf, trie.stampOf);
    next.pb[s] = logAdd(next.pb[s]!, total + blankLogp);
    if (bestV + blankLogp > next.vb[s]!) {
      next.vb[s] = bestV + blankLogp;
      next.rb[s] = bestR;
    }
    for (let c = 0; c < count; c++) {
      const token = tokens[c]!;
      const lp = logps[c]!;
      if (token === last) {
        // Staying on the last token: its best path's emission now ends one frame later.
        s = next.slotFor(node, stamp, trie.slotOf, trie.stampOf);
        next.pnb[s] = logAdd(next.pnb[s]!, pnb + lp);
        if (vnb + lp > next.vnb[s]!) {
          next.vnb[s] = vnb + lp;
          next.rnb[s] = alignments.stretch(beam.rnb[i]!, t + 1);
        }
        if (pb === NEG_INF) continue;
        s = next.slotFor(trie.child(node, token), stamp, trie.slotOf, trie.stampOf);
        next.pnb[s] = logAdd(next.pnb[s]!, pb + lp);
        if (vb + lp > next.vnb[s]!) {
          next.vnb[s] = vb + lp;
          next.rnb[s] = alignments.add(t, beam.rb[i]!);
        }
      } else {
        s = next.slotFor(trie.child(node, token), stamp, trie.slotOf, trie.stampOf);
        next.pnb[s] = logAdd(next.pnb[s]!, total + lp);
        if (bestV + lp > next.vnb[s]!) {
          next.vnb[s] = bestV + lp;
          next.rnb[s] = alignments.add(t, bestR);
        }
      }
    }
  }
}
