/**
 * CTC decoding for asrq: SentencePiece and character tokenizers, greedy and prefix beam
 * search, ARPA n-gram language models (parse, score, build with modified Kneser-Ney,
 * perplexity). The Node file helpers (`loadTokenizer`, `findTokenizer`, `loadArpa`, `buildArpaFile`) are
 * exported here too; `@asrq/ctc/pure` has everything else without Node imports.
 *
 * @packageDocumentation
 */
export { CtcError, ctcErrorCodes, type CtcErrorCode } from './errors.js';
export * from './pure.js';
export { loadTokenizer, loadSentencePieceWasm } from './tokenizer-node.js';
export {
  registerTokenizerFormat,
  tokenizerFileNames,
  tokenizerFormatFor,
  tokenizerFormats,
  type TokenizerFormat,
} from './tokenizer-formats.js';
export { findTokenizer } from './find-tokenizer.js';
export { loadArpa, loadLm, buildArpaFile, compileLmFile } from './lm-node.js';
