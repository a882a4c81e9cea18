/**
 * CTC decoding for asrq: SentencePiece and character tokenizers, greedy and prefix beam
 * search, ARPA n-gram language models (parse, score, build with modified Kneser-Ney,
 * perplexity). The Node file helpers (`loadTokenizer`, `findTokenizer`, `loadArpa`, `buildArpaFile`) are
 * exported here too; `@asrq/ctc/browser` has everything else, without Node imports.
 *
 * @packageDocumentation
 */
export { CtcError, ctcErrorCodes, type CtcErrorCode } from './errors.js';
export * from './browser.js';
export { loadTokenizer, loadSentencePieceWasm } from './tokenizers/tokenizer-node.js';
export {
  registerTokenizerFormat,
  tokenizerFileNames,
  tokenizerFormatFor,
  tokenizerFormats,
} from './tokenizers/formats.js';
export type { TokenizerFormat } from './tokenizers/tokenizer-format.js';
export { findTokenizer } from './tokenizers/find-tokenizer.js';
export { loadArpa, loadLm, buildArpaFile, compileLmFile } from './lm/lm-node.js';
export { createLmTuneJob, decodeAtWeights, type LmTuneJob } from './lm/tune-job.js';
export { tuneLmWeights, type LmTuneOptions, type LmTuneProgress, type LmTuneResult } from './lm/tune-weights.js';
