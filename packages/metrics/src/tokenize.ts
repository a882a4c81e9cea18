/** What a token is: a whitespace-separated word, or a character (Unicode code point). */
export type ScoreUnit = 'word' | 'char';

/**
 * Splits text into scoring tokens.
 *
 * Words: maximal runs of non-whitespace. Characters (CER): the Unicode code points of the words
 * joined by single spaces, so spaces between words count as characters, as in jiwer's `cer`
 * (sclite's `-c` drops them instead). Code points, not UTF-16 units, so an emoji is one token.
 *
 * @param text - Text, already normalised.
 * @param unit - `word` or `char`.
 * @returns The tokens.
 * @example
 * ```ts
 * tokenize(' a  bc ', 'word') // ['a', 'bc']
 * tokenize(' a  bc ', 'char') // ['a', ' ', 'b', 'c']
 * ```
 */
export function tokenize(text: string, unit: ScoreUnit): string[] {
  const words = splitWords(text);
  if (unit === 'word') return words;
  return Array.from(words.join(' '));
}

const whitespace = /\s+/u;

function splitWords(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(whitespace);
}

/**
 * Maps words to small integer ids, giving each new word the next id of `ids`, so two token
 * lists can be compared as integer arrays (the same map must serve both sides).
 * @param ids - The word → id map, shared by the lists being compared; grows as needed.
 * @param words - Tokens.
 * @param out - Where to write the ids (default: a new array of the right length).
 * @param offset - Where in `out` to start.
 * @returns `out`.
 */
export function internWords(
  ids: Map<string, number>,
  words: readonly string[],
  out: Int32Array = new Int32Array(words.length),
  offset = 0,
): Int32Array {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let id = ids.get(word);
    if (id === undefined) {
      id = ids.size;
      ids.set(word, id);
    }
    out[offset + i] = id;
  }
  return out;
}
