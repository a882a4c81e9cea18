import { throwIfAborted } from '@asrq/core';
import { BOS, sizeOf, type KnCounts } from './kn-count.js';
import type { BuildArpaProgress } from './types.js';

const LOG10_ZERO = -99;

/** An estimated model: per order, log10 probabilities and backoffs by n-gram id, and which n-grams are written. */
export interface KnModel {
  /** suffix[n][id]: id of the n-gram without its first word (order n-1). */
  suffix: Int32Array[];
  /** kept[n][id]: 1 when the n-gram is written. */
  kept: Uint8Array[];
  log10Prob: Float64Array[];
  log10Backoff: Float64Array[];
}

interface Discounts {
  d1: number;
  d2: number;
  d3: number;
}

function discountsFor(counts: ArrayLike<number>): Discounts {
  const n = [0, 0, 0, 0, 0];
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c >= 1 && c <= 4) n[c]!++;
  }
  const [, n1, n2, n3, n4] = n as [number, number, number, number, number];
  const fallback = { d1: 0.5, d2: 1, d3: 1.5 };
  if (n1 === 0 || n2 === 0) return fallback;
  const y = n1 / (n1 + 2 * n2);
  // Chen & Goodman's estimates; clamp when the count-of-counts are too sparse to make sense.
  const clamp = (d: number, k: number, fb: number): number => (Number.isFinite(d) && d > 0 && d <= k ? d : fb);
  return {
    d1: clamp(1 - (2 * y * n2) / n1, 1, fallback.d1),
    d2: clamp(n3 === 0 ? Number.NaN : 2 - (3 * y * n3) / n2, 2, fallback.d2),
    d3: clamp(n4 === 0 || n3 === 0 ? Number.NaN : 3 - (4 * y * n4) / n3, 3, fallback.d3),
  };
}

// suffix[n][id]: id of the n-gram without its first word; startsBos[n][id]: whether it starts with <s>.
function suffixLinks(counts: KnCounts): { suffix: Int32Array[]; startsBos: Uint8Array[] } {
  const { order, tables } = counts;
  const suffix: Int32Array[] = [new Int32Array(0), new Int32Array(0)];
  const startsBos: Uint8Array[] = [new Uint8Array(0), new Uint8Array(counts.words.length)];
  startsBos[1]![BOS] = 1;
  for (let n = 2; n <= order; n++) {
    const table = tables[n]!;
    const sfx = new Int32Array(table.size);
    const bos = new Uint8Array(table.size);
    for (let id = 0; id < table.size; id++) {
      const prefix = table.prefix[id]!;
      bos[id] = startsBos[n - 1]![prefix]!;
      // Every suffix was counted too: it occurs wherever the n-gram does.
      sfx[id] = n === 2 ? table.word[id]! : tables[n - 1]!.find(suffix[n - 1]![prefix]!, table.word[id]!);
    }
    suffix.push(sfx);
    startsBos.push(bos);
  }
  return { suffix, startsBos };
}

// Kneser-Ney counts: the highest order (and n-grams starting with <s>) keep raw counts;
// lower orders count distinct left extensions. 0 = absent (the <s> unigram, unseen words).
function adjustedCounts(counts: KnCounts, suffix: Int32Array[], startsBos: Uint8Array[]): Uint32Array[] {
  const { order, tables, unigramCounts } = counts;
  const rawCount = (n: number, id: number): number => (n === 1 ? unigramCounts[id]! : tables[n]!.count[id]!);
  const adjusted: Uint32Array[] = [new Uint32Array(0)];
  for (let n = 1; n <= order; n++)
    adjusted.push(
      n === order ? (n === 1 ? Uint32Array.from(unigramCounts) : tables[n]!.count) : new Uint32Array(sizeOf(counts, n)),
    );
  for (let n = order - 1; n >= 1; n--) {
    const target = adjusted[n]!;
    const sfx = suffix[n + 1]!;
    for (let id = 0; id < sfx.length; id++) target[sfx[id]!]!++;
    const bos = startsBos[n]!;
    for (let id = 0; id < target.length; id++) if (bos[id] === 1) target[id] = rawCount(n, id);
  }
  adjusted[1]![BOS] = 0;
  return adjusted;
}

// Interpolated probabilities of the n-grams of order n (natural probabilities, not logs), given order n-1's.
function interpolatedProbs(
  counts: KnCounts,
  n: number,
  adjusted: Uint32Array,
  suffix: Int32Array[],
  lower: Float64Array,
): Float64Array {
  const vocab = counts.words.length;
  const predictable = vocab - 1; // everything but <s>
  const d = discountsFor(adjusted);
  const discount = (c: number): number => (c === 1 ? d.d1 : c === 2 ? d.d2 : d.d3);
  const contexts = n === 1 ? 1 : sizeOf(counts, n - 1);
  const total = new Float64Array(contexts);
  const mass = new Float64Array(contexts);
  const contextOf = (id: number): number => (n === 1 ? 0 : counts.tables[n]!.prefix[id]!);
  for (let id = 0; id < adjusted.length; id++) {
    const c = adjusted[id]!;
    if (c === 0) continue;
    const ctx = contextOf(id);
    total[ctx]! += c;
    mass[ctx]! += discount(c);
  }
  const probs = new Float64Array(adjusted.length);
  for (let id = 0; id < adjusted.length; id++) {
    const c = adjusted[id]!;
    if (c === 0) continue;
    const ctx = contextOf(id);
    const lowerProb = n === 1 ? 1 / predictable : lower[suffix[n]![id]!]!;
    probs[id] = (c - discount(c)) / total[ctx]! + (mass[ctx]! / total[ctx]!) * lowerProb;
  }
  if (n === 1)
    for (let id = 0; id < vocab; id++)
      if (id !== BOS && adjusted[id] === 0) probs[id] = mass[0]! / total[0]! / predictable;
  return probs;
}

// Kept n-grams; singletons pruned from order 2 up. Raw counts decide, so every kept
// n-gram's prefix and suffix are kept too (each has a count at least as large).
function keptFlags(counts: KnCounts, pruneSingletons: boolean): Uint8Array[] {
  const kept: Uint8Array[] = [new Uint8Array(0), new Uint8Array(counts.words.length).fill(1)];
  for (let n = 2; n <= counts.order; n++) {
    const flags = new Uint8Array(sizeOf(counts, n));
    for (let id = 0; id < flags.length; id++) flags[id] = pruneSingletons && counts.tables[n]!.count[id]! <= 1 ? 0 : 1;
    kept.push(flags);
  }
  return kept;
}

// Backoff weights that renormalise each context over what was kept (equal to the
// Kneser-Ney gamma when nothing is pruned).
function backoffWeights(counts: KnCounts, model: KnModel, signal?: AbortSignal): void {
  const { kept, log10Prob, log10Backoff, suffix } = model;
  const tables = counts.tables;
  // P under the final backoff model, for orders whose backoffs are already set.
  const modelLog10 = (n: number, id: number): number => {
    if (n === 1 || kept[n]![id] === 1) return log10Prob[n]![id]!;
    return log10Backoff[n - 1]![tables[n]!.prefix[id]!]! + modelLog10(n - 1, suffix[n]![id]!);
  };
  for (let n = 2; n <= counts.order; n++) {
    throwIfAborted(signal);
    const contexts = sizeOf(counts, n - 1);
    const high = new Float64Array(contexts);
    const low = new Float64Array(contexts);
    const touched = new Uint8Array(contexts);
    const table = tables[n]!;
    for (let id = 0; id < table.size; id++) {
      if (kept[n]![id] !== 1) continue;
      const ctx = table.prefix[id]!;
      touched[ctx] = 1;
      high[ctx]! += 10 ** log10Prob[n]![id]!;
      low[ctx]! += 10 ** modelLog10(n - 1, suffix[n]![id]!);
    }
    const backoff = log10Backoff[n - 1]!;
    for (let ctx = 0; ctx < contexts; ctx++) {
      if (touched[ctx] === 1)
        backoff[ctx] = Math.log10(Math.max(1 - high[ctx]!, 1e-12) / Math.max(1 - low[ctx]!, 1e-12));
    }
  }
}

/**
 * Estimates interpolated modified Kneser-Ney probabilities and the backoff weights that
 * renormalise what is kept.
 * @param counts - The raw counts ({@link countNgrams}).
 * @param pruneSingletons - Drop n-grams of order >= 2 seen once.
 * @returns The model.
 * @throws AsrqError `ABORTED` when `signal` fires.
 */
export function estimateKneserNey(
  counts: KnCounts,
  pruneSingletons: boolean,
  signal?: AbortSignal,
  onProgress?: (progress: BuildArpaProgress) => void,
): KnModel {
  const { suffix, startsBos } = suffixLinks(counts);
  const adjusted = adjustedCounts(counts, suffix, startsBos);
  const prob: Float64Array[] = [new Float64Array(0)];
  for (let n = 1; n <= counts.order; n++) {
    throwIfAborted(signal);
    onProgress?.({ status: 'estimating', order: n });
    prob.push(interpolatedProbs(counts, n, adjusted[n]!, suffix, prob[n - 1]!));
  }
  const kept = keptFlags(counts, pruneSingletons);
  const log10Prob: Float64Array[] = prob.map((p) => p.map((x) => Math.log10(x)));
  log10Prob[1]![BOS] = LOG10_ZERO;
  const log10Backoff: Float64Array[] = Array.from(
    { length: counts.order + 1 },
    (_, n) => new Float64Array(n === 0 ? 0 : sizeOf(counts, n)),
  );
  const model: KnModel = { suffix, kept, log10Prob, log10Backoff };
  backoffWeights(counts, model, signal);
  return model;
}
