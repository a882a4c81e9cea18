import type { NgramLM } from './ngram-lm.js';

/** Perplexity of a text under an LM, SRILM/KenLM style. */
export interface PerplexityResult {
  /** 10^(-log10Prob / (words - oovs + sentences)). */
  perplexity: number;
  /** Sum of log10 probabilities of in-vocabulary words and `</s>`. */
  log10Prob: number;
  /** Words in the text (OOVs included, sentence markers excluded). */
  words: number;
  /** Sentences (non-empty lines). */
  sentences: number;
  /** Words not in the LM vocabulary; excluded from log10Prob and the perplexity denominator. */
  oovs: number;
}

/**
 * Computes the perplexity of sentences the way SRILM's `ngram -ppl` and KenLM's `query`
 * report it: log10 probabilities summed over words and `</s>`, out-of-vocabulary words
 * excluded from both the sum and the count (they still advance the context, as `<unk>`).
 *
 * @param lm - The language model.
 * @param sentences - One sentence per item (whitespace-separated words, as the LM was built).
 * @returns Perplexity, total log10 probability and counts.
 * @example
 * ```ts
 * const { perplexity, oovs } = perplexity(lm, ['THE CAT SAT']);
 * ```
 */
export function perplexity(lm: NgramLM, sentences: Iterable<string>): PerplexityResult {
  let log10Prob = 0;
  let words = 0;
  let oovs = 0;
  let sentenceCount = 0;
  const unk = lm.wordId('<unk>');
  for (const sentence of sentences) {
    const tokens = sentence
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    if (tokens.length === 0) continue;
    sentenceCount++;
    let state = lm.beginState();
    for (const token of tokens) {
      words++;
      const id = lm.wordId(token);
      const score = lm.scoreId(state, id);
      state = lm.lastState;
      if (id < 0 || id === unk) oovs++;
      else log10Prob += score;
    }
    log10Prob += lm.endScore(state);
  }
  const denominator = words - oovs + sentenceCount;
  return {
    perplexity: denominator > 0 ? 10 ** (-log10Prob / denominator) : Number.NaN,
    log10Prob,
    words,
    sentences: sentenceCount,
    oovs,
  };
}
