import type { TokenTable } from '../tokenizers/tokenizer.js';

/** A word and the frames it spans. */
export interface WordTiming {
  /** The word. */
  word: string;
  /** Frame where its first token is emitted. */
  startFrame: number;
  /** Frame after its last token (exclusive). */
  endFrame: number;
}

/** A decoded hypothesis. */
export interface Hypothesis {
  /** Words separated by single spaces. */
  text: string;
  /** Token ids, blanks and repeats removed. */
  tokens: number[];
  /** Word timings in frames (multiply by the frame stride, e.g. 20 ms, for seconds). */
  words: WordTiming[];
  /** acousticScore + lmScore: what the beams are ranked by (natural log). */
  score: number;
  /** Natural-log CTC probability: of the best path for greedy, of the prefix (all its paths) for beam search. */
  acousticScore: number;
  /** Everything the LM added: alpha * ln(10) * log10 P per word and `</s>`, beta per word, OOV offsets, hotword boosts. */
  lmScore: number;
}

/**
 * Groups tokens into words with frame spans.
 * @param table - Token table of the tokenizer.
 * @param tokens - Token ids.
 * @param starts - Frame of each token's first emission.
 * @param ends - Frame after each token's last emission.
 * @returns The words.
 */
export function wordTimings(
  table: TokenTable,
  tokens: ArrayLike<number>,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
): WordTiming[] {
  const words: WordTiming[] = [];
  let current: WordTiming | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    if (table.silent[id] === 1) continue;
    if (table.startsWord[id] === 1 && current) {
      words.push(current);
      current = undefined;
    }
    const text = table.text[id] ?? '';
    if (text.length > 0) {
      if (!current) current = { word: '', startFrame: starts[i]!, endFrame: ends[i]! };
      current.word += text;
      current.endFrame = ends[i]!;
    }
    if (table.endsWord[id] === 1 && current) {
      words.push(current);
      current = undefined;
    }
  }
  if (current) words.push(current);
  return words;
}
