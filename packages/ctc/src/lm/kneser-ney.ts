import { countNgrams } from './kn-count.js';
import { estimateKneserNey } from './kn-estimate.js';
import { writeKneserNeyArpa } from './kn-write.js';
import { CtcError } from '../errors.js';
import type { BuildArpaOptions } from './types.js';

/**
 * Estimates an interpolated modified Kneser-Ney n-gram model (Chen & Goodman 1998, as KenLM
 * lmplz and SRILM `-kndiscount -interpolate` do) from sentences and writes it as ARPA text with
 * `<s>`, `</s>` and `<unk>`. Words are split on whitespace and kept as they are (no case folding).
 *
 * Memory stays proportional to the number of distinct n-grams with a few dozen bytes each: every
 * n-gram is a dense integer id (`NgramIds` in ngram-counts.ts) and counts, probabilities and backoffs are
 * typed arrays indexed by it (kn-count.ts, kn-estimate.ts, kn-write.ts); no string is made per n-gram until the ARPA text is written.
 *
 * @param sentences - One sentence per item.
 * @param options - `order` (1-5), `pruneSingletons`, `onProgress`, `signal`.
 * @returns The ARPA text.
 * @throws AsrqError `LM_BAD_ORDER` for an order outside 1-5, `LM_NO_TEXT` when there are no words, `ABORTED`.
 * @example
 * ```ts
 * const arpa = buildArpa(['THE CAT SAT', 'THE DOG SAT'], { order: 3 });
 * const lm = NgramLM.fromArpa(arpa);
 * ```
 */
export function buildArpa(sentences: Iterable<string>, options: BuildArpaOptions): string {
  const { order, pruneSingletons = false, onProgress, signal } = options;
  if (!Number.isInteger(order) || order < 1 || order > 5) {
    throw new CtcError(
      'LM_BAD_ORDER',
      `LM order ${order} is not supported; use 1 to 5 (3 is typical for CTC rescoring).`,
    );
  }
  const counts = countNgrams(sentences, order, signal, onProgress);
  if (counts.sentences === 0)
    throw new CtcError('LM_NO_TEXT', 'The LM training text has no words. Pass a file with one sentence per line.');
  onProgress?.({ status: 'counting', sentences: counts.sentences });
  const model = estimateKneserNey(counts, pruneSingletons, signal, onProgress);
  onProgress?.({ status: 'writing' });
  const { text, counts: written } = writeKneserNeyArpa(counts, model);
  onProgress?.({ status: 'done', counts: written });
  return text;
}
