import { readTranscriptFile } from './node.js';
import { scoreTranscripts, type TranscriptScore, type TranscriptScoreOptions } from './transcript-score.js';

/**
 * Reads a reference and a hypothesis transcript file (`.trn` or `utt-id TEXT` lines) and scores
 * them with {@link scoreTranscripts}: what `asrq score --ref ref.trn --hyp hyp.trn` computes.
 * @param refPath - Reference transcripts.
 * @param hypPath - Hypothesis transcripts.
 * @param options - Normalisation.
 * @returns Word and character scores.
 * @throws AsrqError `METRICS_READ_FAILED` when a file cannot be read; parse and pairing errors naming file, line and ids.
 * @example
 * ```ts
 * const score = await scoreTranscriptFiles('ref.trn', 'hyp.trn', { normalize: true });
 * console.log(formatTranscriptScore(score));
 * ```
 */
export async function scoreTranscriptFiles(
  refPath: string,
  hypPath: string,
  options: TranscriptScoreOptions = {},
): Promise<TranscriptScore> {
  return scoreTranscripts(await readTranscriptFile(refPath), await readTranscriptFile(hypPath), options);
}
