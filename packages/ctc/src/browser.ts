/**
 * The platform-independent part of `@asrq/ctc` (no Node imports): tokenizers from bytes,
 * decoders, n-gram LMs, the ARPA parser and builder.
 *
 * @packageDocumentation
 */
export { CtcError, ctcErrorCodes } from './errors.js';
export { validateLogProbs, type LogProbs } from './log-probs.js';
export { parseSentencePieceModel, PieceType, type SentencePieceModel } from './tokenizers/sentencepiece-model.js';
export {
  createCharTokenizer,
  createSentencePieceTokenizer,
  createTokenizerFromModelBytes,
  joinTokens,
  parseVocabulary,
  tokenTable,
  type TokenTable,
  type Tokenizer,
  type TokenizerOptions,
} from './tokenizers/tokenizer.js';
export type { Hypothesis, WordTiming } from './decoders/hypothesis.js';
export { greedyDecode } from './decoders/greedy.js';
export { CtcBeamSearchDecoder, type BeamSearchOptions } from './decoders/beam-search.js';
export { checkHotwords, MAX_HOTWORD_CHARS, MAX_HOTWORD_PHRASES, MAX_HOTWORD_WORDS } from './decoders/hotwords.js';
export {
  defaultBeamWidth,
  needsBeam,
  resolvedBeamWidth,
  type BeamNeeds,
  type CtcDecodeFn,
  type DecodeSettings,
  type DecoderDefinition,
  type ScoredText,
} from './decoders/decode-settings.js';
export { createDecoder, decoderFor, decoderNames, registerDecoder } from './decoders/registry.js';
export { NgramLM, type WordScore } from './lm/ngram-lm.js';
export { COMPILED_LM_MAGIC, COMPILED_LM_VERSION, isCompiledLm } from './lm/compiled-lm.js';
export { buildArpa } from './lm/kneser-ney.js';
export type { BuildArpaOptions, BuildArpaProgress } from './lm/types.js';
export { perplexity, type PerplexityResult } from './lm/perplexity.js';
export { CTC_DEFAULTS, LM_TUNE_DEFAULTS } from './defaults.js';
export { searchWeightGrid, type GridOptions, type GridResult, type SurfacePoint } from './lm/weight-grid.js';
