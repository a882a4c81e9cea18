import { scoreToJson } from './json.js';
import { librispeechNormalizer, type TextTransform } from './normalize.js';
import { scoreCorpus } from './score.js';
import { pairUtterances } from './transcripts.js';
import type { CorpusScore } from './types.js';

/** Options of {@link scoreTranscripts}. */
export interface TranscriptScoreOptions {
  /** Apply {@link librispeechNormalizer} to both sides (ignored when `transforms` is given). */
  normalize?: boolean;
  /** Text transforms applied to both sides (default none, or the LibriSpeech normaliser with `normalize`). */
  transforms?: readonly TextTransform[];
}

/** Word and character scores of one set of hypotheses against its references. */
export interface TranscriptScore {
  /** Word-level score, with alignments. */
  words: CorpusScore;
  /** Character-level score, without alignments. */
  chars: CorpusScore;
}

/**
 * Scores hypotheses against references the way `asrq score` does: pairs the utterances by id,
 * then scores words (with alignments) and characters (without) under the same transforms.
 *
 * @param refs - Utterance id → reference text (e.g. from `readTranscriptFile`).
 * @param hyps - Utterance id → hypothesis text.
 * @param options - Normalisation.
 * @returns Word and character scores.
 * @throws AsrqError from {@link pairUtterances} when the ids do not pair up.
 * @example
 * ```ts
 * const { words, chars } = scoreTranscripts(new Map([['u1', 'THE CAT']]), new Map([['u1', 'THE HAT']]));
 * words.total.errorRate; // 50
 * ```
 */
export function scoreTranscripts(
  refs: Map<string, string>,
  hyps: Map<string, string>,
  options: TranscriptScoreOptions = {},
): TranscriptScore {
  const pairs = pairUtterances(refs, hyps);
  const transforms = options.transforms ?? (options.normalize ? librispeechNormalizer : []);
  return {
    words: scoreCorpus(pairs, { unit: 'word', transforms }),
    chars: scoreCorpus(pairs, { unit: 'char', transforms, alignments: false }),
  };
}

/**
 * The JSON of a transcript score: the word score as {@link scoreToJson} writes it (schema
 * `asrq.metrics.score`), plus `charTotal` (the character-level counts and CER, as `total`) and
 * `warnings` (what the scorer warned about, e.g. empty references).
 * @param score - From {@link scoreTranscripts}.
 * @returns An object ready for `JSON.stringify`.
 * @example
 * ```ts
 * const json = transcriptScoreToJson(scoreTranscripts(refs, hyps)) as { total: { errorRate: number } };
 * ```
 */
export function transcriptScoreToJson(score: TranscriptScore): object {
  const chars = scoreToJson(score.chars, { alignments: false }) as { total: object };
  return { ...scoreToJson(score.words), charTotal: chars.total, warnings: score.words.warnings };
}

/**
 * The two summary lines `asrq score` prints: WER with its counts, then CER.
 * @param score - From {@link scoreTranscripts}.
 * @returns `WER 25.00 % (S 0, D 1, I 1, hits 7, 8 reference words, 2 utterances)\nCER 12.50 %`.
 */
export function formatTranscriptScore(score: TranscriptScore): string {
  const t = score.words.total;
  return (
    `WER ${t.errorRate.toFixed(2)} % (S ${t.substitutions}, D ${t.deletions}, I ${t.insertions}, hits ${t.hits}, ${t.refCount} reference words, ${score.words.utterances.length} utterances)\n` +
    `CER ${score.chars.total.errorRate.toFixed(2)} %`
  );
}
