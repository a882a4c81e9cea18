/**
 * Scoring for asrq: WER/CER with sclite-compatible alignments, jiwer-style MER/WIL/WIP,
 * explicit text normalisation, real-time factor, and reports (JSON, Markdown, sclite .trn and
 * `sum`). Pure functions; file helpers live in `@asrq/metrics/node`.
 * @packageDocumentation
 */
export { MetricsError, metricsErrorCodes, type MetricsErrorCode } from './errors.js';
export type {
  AlignmentStep,
  CorpusScore,
  ErrorCounts,
  ErrorRates,
  ScoreWarning,
  SpeakerScore,
  UtterancePair,
  UtteranceScore,
} from './types.js';
export { errorRates, errorCount } from './rates.js';
export { alignWords, SCLITE_WEIGHTS } from './align.js';
export { wordEditDistance, MAX_CODE_UNIT_VOCABULARY } from './distance.js';
export {
  scoreCorpus,
  distanceErrorRate,
  type ScoreOptions,
  type ScoreProgress,
  type DistanceErrorRate,
} from './score.js';
export { tokenize, type ScoreUnit } from './tokenize.js';
export { speakerOfId } from './speaker.js';
export {
  type TextTransform,
  defineTransform,
  upperCase,
  lowerCase,
  collapseWhitespace,
  normalizeApostrophes,
  removeApostrophes,
  stripPunctuation,
  stripQuoteApostrophes,
  composeTransforms,
  applyTransforms,
  librispeechNormalizer,
} from './normalize.js';
export { formatAlignment, confusionPairs, worstUtterances, type FormatAlignmentOptions } from './alignment-report.js';
export { parseTranscripts, formatTrn, pairUtterances } from './transcripts.js';
export { realTimeFactor, summarizeTimings, rtfReport, type TimingSummary, type RtfReport } from './timing.js';
export { formatMarkdownTable, scoreMarkdownTable } from './markdown.js';
export { sumReport } from './sum-report.js';
export { letterCaseMismatch } from './letter-case.js';
export { scoreSchemaVersion, scoreSchemaName, scoreToJson } from './json.js';
export {
  formatTranscriptScore,
  scoreTranscripts,
  transcriptScoreToJson,
  type TranscriptScore,
  type TranscriptScoreOptions,
} from './transcript-score.js';
export { METRICS_DEFAULTS } from './defaults.js';
