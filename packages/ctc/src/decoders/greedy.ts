import { validateLogProbs, type LogProbs } from '../log-probs.js';
import { joinTokens, tokenTable, type Tokenizer } from '../tokenizers/tokenizer.js';
import { wordTimings, type Hypothesis } from './hypothesis.js';

/**
 * Best-path CTC decoding: the most likely token per frame, repeats collapsed, blanks dropped.
 *
 * @param logProbs - [frames, vocab] natural-log probabilities.
 * @param tokenizer - Tokenizer whose vocabulary matches the model's output.
 * @returns The hypothesis; its acousticScore is the best path's log-probability.
 * @throws AsrqError `CTC_VOCAB_MISMATCH` when the widths differ, `CTC_BAD_LOGPROBS` for NaN or a short buffer.
 * @example
 * ```ts
 * const { text, words } = greedyDecode({ data, frames, vocab: 256 }, tokenizer);
 * ```
 */
export function greedyDecode(logProbs: LogProbs, tokenizer: Tokenizer): Hypothesis {
  validateLogProbs(logProbs, tokenizer.vocabSize);
  const { data, frames, vocab } = logProbs;
  const blank = tokenizer.blankId;
  const tokens: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let previous = -1;
  let score = 0;
  for (let t = 0; t < frames; t++) {
    const row = t * vocab;
    let best = 0;
    let bestValue = data[row]!;
    for (let v = 1; v < vocab; v++) {
      const value = data[row + v]!;
      if (value > bestValue) {
        bestValue = value;
        best = v;
      }
    }
    score += bestValue;
    if (best !== blank) {
      if (best !== previous) {
        tokens.push(best);
        starts.push(t);
        ends.push(t + 1);
      } else {
        ends[ends.length - 1] = t + 1;
      }
    }
    previous = best;
  }
  const table = tokenTable(tokenizer);
  return {
    text: joinTokens(table, tokens),
    tokens,
    words: wordTimings(table, tokens, starts, ends),
    score,
    acousticScore: score,
    lmScore: 0,
  };
}
