import { seededSample } from '@asrq/core';
import { AudioError } from './errors.js';

/** One utterance of a corpus: where its audio is and what was said. No audio is loaded. */
export interface CorpusItem {
  id: string;
  speaker?: string;
  chapter?: string;
  audioPath: string;
  transcript: string;
  durationSec?: number;
}

/** How {@link selectItems} picks utterances. */
export interface SelectOptions {
  /** How many to take (all when omitted). */
  n?: number;
  /** Skip this many (after duration filtering, in id order) before taking, e.g. 10 warm-up utterances. */
  offset?: number;
  /** With a seed: a reproducible random sample of `n`, in id order. Without: the first `n`. */
  seed?: number;
  minDurationSec?: number;
  maxDurationSec?: number;
}

/**
 * Picks utterances: filter by duration, then skip `offset`, then take the first `n` (no seed)
 * or a seeded random `n` (with `seed`, via `seededSample` from @asrq/core, so the same seed
 * gives the same items on every machine). The result keeps the input order.
 *
 * The tutorial's two selections: `selectItems(items, { n: 10, seed: 1234 })` for calibration,
 * `selectItems(items, { offset: 10, n: 100 })` for the benchmark after 10 warm-up utterances.
 *
 * @param items - Corpus items, usually `corpus.items` (sorted by id).
 * @param options - See {@link SelectOptions}.
 * @returns The chosen items (a new array).
 * @throws AsrqError `CORPUS_DURATION_UNKNOWN` when filtering by duration and an item has no
 *   `durationSec` (open the corpus with `probeDurations: true`); `CORPUS_BAD_SELECTION` for negative counts.
 * @example
 * ```ts
 * const calibration = selectItems(corpus.items, { n: 10, seed: 1234, maxDurationSec: 20 });
 * ```
 */
export function selectItems(items: readonly CorpusItem[], options: SelectOptions): CorpusItem[] {
  const { n, offset = 0, seed, minDurationSec, maxDurationSec } = options;
  for (const [label, value] of [
    ['n', n],
    ['offset', offset],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new AudioError(
        'CORPUS_BAD_SELECTION',
        `selectItems: ${label} must be a non-negative integer, got ${value}.`,
      );
    }
  }
  let pool: readonly CorpusItem[] = items;
  if (minDurationSec !== undefined || maxDurationSec !== undefined) {
    const unknown = items.find((item) => item.durationSec === undefined);
    if (unknown) {
      throw new AudioError(
        'CORPUS_DURATION_UNKNOWN',
        `Cannot filter by duration: ${unknown.audioPath} has no known duration. Open the corpus with { probeDurations: true }.`,
        { location: unknown.audioPath },
      );
    }
    const min = minDurationSec ?? 0;
    const max = maxDurationSec ?? Number.POSITIVE_INFINITY;
    pool = items.filter((item) => item.durationSec! >= min && item.durationSec! <= max);
  }
  const rest = pool.slice(offset);
  const count = n ?? rest.length;
  return seed === undefined ? rest.slice(0, count) : seededSample(rest, count, seed);
}
