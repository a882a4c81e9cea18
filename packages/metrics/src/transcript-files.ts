import { readFile } from 'node:fs/promises';
import { decodeUtf8, errorCode } from '@asrq/core';
import { MetricsError } from './errors.js';
import { parseTranscripts } from './transcripts.js';
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

/**
 * Reads a transcript file (`.trn` or `utt-id TEXT` lines) with {@link parseTranscripts}.
 * @param path - File path; named in error messages.
 * @returns Utterance id → text.
 * @throws AsrqError `METRICS_READ_FAILED` when the file cannot be read, `METRICS_BAD_LINE` (file:line) when it is not
 *   UTF-8 (a Latin-1 file would otherwise be scored with U+FFFD in its words), plus parseTranscripts' errors.
 * @example
 * ```ts
 * const pairs = pairUtterances(await readTranscriptFile('ref.trn'), await readTranscriptFile('hyp.trn'));
 * ```
 */
export async function readTranscriptFile(path: string): Promise<Map<string, string>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new MetricsError(
      'METRICS_READ_FAILED',
      `${path}: cannot read the transcript file (${(cause as Error).message}). Check the path.`,
      { cause, location: path },
    );
  }
  return parseTranscripts(decodeUtf8(bytes, path, errorCode(MetricsError, 'METRICS_BAD_LINE')), { name: path });
}
