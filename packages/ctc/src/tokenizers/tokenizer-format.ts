import type { Tokenizer, TokenizerOptions } from './tokenizer.js';

/** A tokenizer file format: adding one is its file plus one `registerTokenizerFormat` line. */
export interface TokenizerFormat {
  /** Registry name. */
  readonly name: string;
  /** The file name a model ships it under, looked for beside the model (`findTokenizer`). */
  readonly fileName: string;
  /** Extensions (with the dot, matched case-insensitively) loaded with this format. */
  readonly extensions: readonly string[];
  /** Whether it also reads files whose extension no format claims (SentencePiece's). */
  readonly fallback?: boolean;
  /**
   * Builds the tokenizer from the file.
   * @param path - The file (for messages, and for loaders that need a path).
   * @param bytes - Its contents.
   * @param options - Blank id and word delimiter.
   * @returns The tokenizer.
   * @throws AsrqError `CTC_BAD_TOKENIZER` for malformed contents, `CTC_BAD_BLANK` for an out-of-range blank id.
   */
  load(path: string, bytes: Uint8Array, options: TokenizerOptions): Promise<Tokenizer>;
}
