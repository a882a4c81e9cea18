/**
 * The platform-independent part of `@asrq/ctc` (no Node imports): tokenizers from bytes,
 * decoders, n-gram LMs, the ARPA parser and builder.
 *
 * @packageDocumentation
 */
export { CtcError, ctcErrorCodes } from './errors.js';
export { validateLogProbs, type LogProbs } from './log-probs.js';
export { parseSentencePieceModel, PieceType, type SentencePieceModel } from './sentencepiece-model.js';
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
} from './tokenizer.js';
export type { Hypothesis, WordTiming } from './hypothesis.js';
export { greedyDecode } from './greedy.js';
export { CtcBeamSearchDecoder, type BeamSearchOptions } from './beam-search.js';
export { checkHotwords, MAX_HOTWORD_CHARS, MAX_HOTWORD_PHRASES, MAX_HOTWORD_WORDS } from './hotwords.js';
export {
  defaultBeamWidth,
  type CtcDecodeFn,
  type DecodeSettings,
  type DecoderDefinition,
  type ScoredText,
} from './decode-settings.js';
export { createDecoder, decoderFor, decoderNames, registerDecoder } from './decoder-registry.js';
export { NgramLM, type WordScore } from './ngram-lm.js';
export { COMPILED_LM_MAGIC, COMPILED_LM_VERSION, isCompiledLm } from './compiled-lm.js';
export { buildArpa, type BuildArpaOptions, type BuildArpaProgress } from './kneser-ney.js';
export { perplexity, type PerplexityResult } from './perplexity.js';
