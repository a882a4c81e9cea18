import type { TokenizerFormat } from './tokenizer-format.js';
import { tokensTxtFormat, vocabJsonFormat } from './format-chars.js';
import { sentencePieceFormat } from './format-sentencepiece.js';
import { CtcError } from '../errors.js';

const formats: TokenizerFormat[] = [];

/**
 * Adds a tokenizer format (or replaces one of the same name). Formats are looked for beside a
 * model in registration order.
 * @param format - Its definition.
 * @example
 * ```ts no-run
 * registerTokenizerFormat({ name: 'bpe-json', fileName: 'tokenizer.json', extensions: ['.json'], load: myLoader });
 * ```
 */
export function registerTokenizerFormat(format: TokenizerFormat): void {
  const existing = formats.findIndex((f) => f.name === format.name);
  if (existing >= 0) formats[existing] = format;
  else formats.push(format);
}

// The built-in formats, in the order findTokenizer looks for them: adding one is its file plus one line here.
registerTokenizerFormat(sentencePieceFormat);
registerTokenizerFormat(tokensTxtFormat);
registerTokenizerFormat(vocabJsonFormat);

/**
 * The registered tokenizer formats, in the order their files are looked for.
 * @returns The formats.
 */
export function tokenizerFormats(): readonly TokenizerFormat[] {
  return formats;
}

/**
 * The file names a model's tokenizer is looked for under, in order.
 * @returns e.g. `['tokenizer.model', 'tokens.txt', 'vocab.json']`.
 */
export function tokenizerFileNames(): string[] {
  return formats.map((f) => f.fileName);
}

/**
 * The format that reads a file, by its extension.
 * @param path - The tokenizer file.
 * @returns The last registered format claiming its extension, else the fallback format.
 * @throws AsrqError `CTC_BAD_TOKENIZER` when no format claims it and none is a fallback.
 */
export function tokenizerFormatFor(path: string): TokenizerFormat {
  const lower = path.toLowerCase();
  const format =
    formats.findLast((f) => f.extensions.some((e) => lower.endsWith(e.toLowerCase()))) ??
    formats.findLast((f) => f.fallback === true);
  if (!format)
    throw new CtcError(
      'CTC_BAD_TOKENIZER',
      `${path}: no tokenizer format reads this file (known: ${tokenizerFileNames().join(', ')}).`,
      { location: path },
    );
  return format;
}
