import { CtcError, joinTokens, tokenTable, type Tokenizer } from '@asrq/ctc/browser';

const SPACE_MARK = '▁';

/**
 * A token list that marks word starts with `▁` (sherpa-onnx `tokens.txt` of a BPE model) decodes
 * like SentencePiece: pieces joined, `▁` turned into spaces. Other token lists come back as they are.
 * @param char - A tokenizer loaded from a token list.
 * @returns The piece tokenizer, or `char` itself.
 */
export function asPieceTokenizer(char: Tokenizer): Tokenizer {
  if (!char.pieces.some((p) => p.startsWith(SPACE_MARK) && p.length > 1)) return char;
  const ids = new Map<string, number>();
  char.pieces.forEach((p, i) => {
    if (i !== char.blankId && !ids.has(p)) ids.set(p, i);
  });
  const longest = Math.max(...char.pieces.map((p) => p.length));
  const tokenizer: Tokenizer = {
    kind: 'sentencepiece',
    vocabSize: char.vocabSize,
    blankId: char.blankId,
    pieces: char.pieces,
    decode: (list) => joinTokens(tokenTable(tokenizer), list),
    // Greedy longest match over the pieces: enough for hotwords and tests; not SentencePiece's own segmentation.
    encode: (text) => encodeLongestMatch(text, ids, longest),
  };
  return tokenizer;
}

function encodeLongestMatch(text: string, ids: ReadonlyMap<string, number>, longest: number): number[] {
  const out: number[] = [];
  for (const word of text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0)) {
    let rest = SPACE_MARK + word;
    while (rest.length > 0) {
      let length = Math.min(longest, rest.length);
      while (length > 0 && !ids.has(rest.slice(0, length))) length--;
      if (length === 0) {
        const unk = ids.get('<unk>');
        if (unk === undefined)
          throw new CtcError(
            'CTC_UNKNOWN_CHAR',
            `No token spells ${JSON.stringify(rest[0])} and there is no <unk> token.`,
          );
        out.push(unk);
        length = 1;
      } else out.push(ids.get(rest.slice(0, length))!);
      rest = rest.slice(length);
    }
  }
  return out;
}

/**
 * A tokenizer one token longer, the blank appended last: NeMo models output one more id than
 * their tokenizer has.
 * @param base - The tokenizer without the blank.
 * @returns The tokenizer with `<blk>` as its last id, which is its blank.
 */
export function withBlankAppended(base: Tokenizer): Tokenizer {
  const pieces = Object.freeze([...base.pieces, '<blk>']);
  const tokenizer: Tokenizer = {
    kind: base.kind,
    vocabSize: pieces.length,
    blankId: pieces.length - 1,
    pieces,
    ...(base.wordDelimiter === undefined ? {} : { wordDelimiter: base.wordDelimiter }),
    decode: (list) => joinTokens(tokenTable(tokenizer), list),
    encode: (text) => base.encode(text),
  };
  return tokenizer;
}
