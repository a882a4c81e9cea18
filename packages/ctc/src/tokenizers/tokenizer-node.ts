import { readFile } from 'node:fs/promises';
import type { Tokenizer, TokenizerOptions } from './tokenizer.js';
import { tokenizerFileNames, tokenizerFormatFor } from './formats.js';
import { CtcError } from '../errors.js';

export { loadSentencePieceWasm } from './format-sentencepiece.js';

/**
 * Loads a tokenizer from a file: a SentencePiece `.model` (vocabulary read from the protobuf,
 * encoding by sentencepiece-js), or a character vocabulary (`tokens.txt`, or a wav2vec2
 * `vocab.json` with `|` as word delimiter).
 *
 * @param path - `.model`, `.txt` or `.json` file.
 * @param options - `blankId` (pass the model's `blank_id` metadata) and `wordDelimiter`.
 * @returns The tokenizer.
 * @throws AsrqError `CTC_TOKENIZER_NOT_FOUND` when the file can't be read, `CTC_BAD_TOKENIZER`
 * for malformed contents, `CTC_BAD_BLANK` for an out-of-range blank id.
 * @example
 * ```ts
 * const tokenizer = await loadTokenizer('model/tokenizer.model', { blankId: 0 });
 * tokenizer.pieces[3]; // '▁THE'
 * ```
 */
export async function loadTokenizer(path: string, options: TokenizerOptions = {}): Promise<Tokenizer> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CtcError(
      'CTC_TOKENIZER_NOT_FOUND',
      `Cannot read tokenizer ${path}: ${(error as Error).message}. Pass the ${tokenizerFileNameList()} shipped with the model.`,
      {
        cause: error,
        location: path,
      },
    );
  }
  return tokenizerFormatFor(path).load(path, bytes, options);
}

// The tokenizer file names as a sentence: `a, b or c`.
function tokenizerFileNameList(): string {
  const names = tokenizerFileNames();
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
