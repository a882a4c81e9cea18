import { throwIfAborted } from '@asrq/core';
import { NgramIds } from './ngram-counts.js';
import type { BuildArpaProgress } from './types.js';

/** Word id of `<unk>` (reserved by the builder). */
export const UNK = 0;
/** Word id of `<s>`. */
export const BOS = 1;
/** Word id of `</s>`. */
export const EOS = 2;

/** The raw n-gram counts of a text: words by id, unigram counts, and the n-grams of orders 2..N. */
export interface KnCounts {
  order: number;
  /** id -> word (`<unk>`, `<s>`, `</s>` first). */
  words: string[];
  /** Unigram count by word id. */
  unigramCounts: number[];
  /** tables[n] holds the n-grams of order n >= 2 (index 0 and 1 unused). */
  tables: NgramIds[];
  /** Sentences with at least one word. */
  sentences: number;
}

/** @returns The number of distinct n-grams of order `n` (words for n = 1). */
export function sizeOf(counts: KnCounts, n: number): number {
  return n === 1 ? counts.words.length : counts.tables[n]!.size;
}

// The sentence as word ids between <s> and </s> in `padded` (new words get ids); false when it has no words.
function padSentence(sentence: string, counts: KnCounts, ids: Map<string, number>, padded: number[]): boolean {
  const tokens = sentence
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (tokens.length === 0) return false;
  padded.length = 0;
  padded.push(BOS);
  for (const token of tokens) {
    let id = ids.get(token);
    if (id === undefined) {
      if (token === '<s>' || token === '</s>') continue;
      id = counts.words.length;
      ids.set(token, id);
      counts.words.push(token);
      counts.unigramCounts.push(0);
    }
    padded.push(id);
  }
  padded.push(EOS);
  return true;
}

/**
 * Counts every n-gram of orders 1..`order` in the sentences (split on whitespace, between
 * `<s>` and `</s>`).
 * @returns The counts; `sentences` is 0 when the text has no words.
 * @throws AsrqError `ABORTED` when `signal` fires.
 */
export function countNgrams(
  sentences: Iterable<string>,
  order: number,
  signal?: AbortSignal,
  onProgress?: (progress: BuildArpaProgress) => void,
): KnCounts {
  const words = ['<unk>', '<s>', '</s>'];
  const counts: KnCounts = {
    order,
    words,
    unigramCounts: [0, 0, 0],
    tables: Array.from({ length: order + 1 }, () => new NgramIds()),
    sentences: 0,
  };
  const { tables, unigramCounts } = counts;
  const ids = new Map<string, number>(words.map((w, i) => [w, i]));
  const padded: number[] = [];
  // Ids of the n-grams ending at the previous / current position, by order.
  let previous = new Int32Array(order + 1);
  let current = new Int32Array(order + 1);
  for (const sentence of sentences) {
    if (!padSentence(sentence, counts, ids, padded)) continue;
    previous[1] = BOS;
    for (let end = 1; end < padded.length; end++) {
      const word = padded[end]!;
      current[1] = word;
      unigramCounts[word]!++;
      for (let n = 2; n <= order && end - n + 1 >= 0; n++) current[n] = tables[n]!.increment(previous[n - 1]!, word);
      [previous, current] = [current, previous];
    }
    counts.sentences++;
    if (counts.sentences % 10_000 === 0) {
      throwIfAborted(signal);
      onProgress?.({ status: 'counting', sentences: counts.sentences });
    }
  }
  return counts;
}
