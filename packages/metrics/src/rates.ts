import type { ErrorCounts, ErrorRates } from './types.js';

/**
 * Turns counts into rates (all in percent).
 *
 * Empty-reference convention (jiwer's): when `refCount` is 0 the WER denominator is taken as 1,
 * so an empty reference with an empty hypothesis scores 0 % and one with k inserted words scores
 * k × 100 %. MER is 0 when nothing at all was aligned. WIP is 100 when both sides are empty and 0
 * when only one is. Hence no rate is ever NaN or Infinity, for an utterance or for a whole corpus.
 *
 * @param counts - Alignment counts.
 * @returns The counts plus `errorRate`, `mer`, `wil`, `wip` in percent.
 * @example
 * ```ts
 * errorRates({ hits: 7, substitutions: 1, deletions: 0, insertions: 0, refCount: 8, hypCount: 8 }).errorRate; // 12.5
 * ```
 */
export function errorRates(counts: ErrorCounts): ErrorRates {
  const { hits, substitutions, deletions, insertions, refCount, hypCount } = counts;
  const errors = substitutions + deletions + insertions;
  const aligned = hits + errors;
  let wip: number;
  if (refCount === 0 || hypCount === 0) wip = refCount === hypCount ? 100 : 0;
  else wip = 100 * (hits / refCount) * (hits / hypCount);
  return {
    hits,
    substitutions,
    deletions,
    insertions,
    refCount,
    hypCount,
    errorRate: (100 * errors) / Math.max(refCount, 1),
    mer: aligned === 0 ? 0 : (100 * errors) / aligned,
    wil: 100 - wip,
    wip,
  };
}

/** @internal Zeroed counts to accumulate into. */
export function zeroCounts(): ErrorCounts {
  return { hits: 0, substitutions: 0, deletions: 0, insertions: 0, refCount: 0, hypCount: 0 };
}

/** @internal Adds `b` into `a` in place. */
export function addCounts(a: ErrorCounts, b: ErrorCounts): void {
  a.hits += b.hits;
  a.substitutions += b.substitutions;
  a.deletions += b.deletions;
  a.insertions += b.insertions;
  a.refCount += b.refCount;
  a.hypCount += b.hypCount;
}

/**
 * Total errors S + D + I of a count record.
 * @param counts - Alignment counts.
 * @returns substitutions + deletions + insertions.
 * @example
 * ```ts
 * errorCount(score.total); // e.g. 42
 * ```
 */
export function errorCount(counts: ErrorCounts): number {
  return counts.substitutions + counts.deletions + counts.insertions;
}
