import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/metrics`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const metricsErrorCodes = {
  METRICS_BAD_DURATION: { exit: 'input', summary: 'An audio duration is not a positive number of seconds.' },
  METRICS_BAD_ID: { exit: 'input', summary: 'An utterance id cannot be written to a .trn file.' },
  METRICS_BAD_LINE: {
    exit: 'input',
    summary: 'A transcript line is not in the expected form; names the file and line.',
  },
  METRICS_BAD_TABLE: { exit: 'input', summary: 'A table row has another number of cells than the headers.' },
  METRICS_BAD_THREADS: { exit: 'input', summary: 'A thread count is not a positive integer.' },
  METRICS_DUPLICATE_ID: { exit: 'input', summary: 'An utterance id occurs more than once.' },
  METRICS_EMPTY_INPUT: { exit: 'input', summary: 'Nothing to score: no utterance pairs.' },
  METRICS_EMPTY_REFERENCE: {
    exit: 'input',
    summary: 'A reference transcript is empty where a rate needs reference words.',
  },
  METRICS_EMPTY_REFERENCES: {
    exit: 'input',
    summary: 'All reference transcripts are empty, so no error rate can be computed.',
  },
  METRICS_ID_MISMATCH: { exit: 'input', summary: 'Reference and hypothesis utterance ids differ.' },
  METRICS_NO_ALIGNMENT: { exit: 'input', summary: 'An alignment is asked of an utterance scored without alignments.' },
  METRICS_READ_FAILED: { exit: 'input', summary: 'A transcript file cannot be read.' },
} as const satisfies ErrorCodeTable;

/** A code of {@link metricsErrorCodes}. */
export type MetricsErrorCode = keyof typeof metricsErrorCodes;

const marker = Symbol.for('asrq.error.MetricsError');

/**
 * Errors of scoring, transcripts and reports. `code` is one of {@link metricsErrorCodes}.
 *
 * @example
 * ```ts
 * import { MetricsError } from '@asrq/metrics';
 * const error = new MetricsError('METRICS_EMPTY_INPUT', 'Nothing to score.');
 * console.log(MetricsError.isInstance(error), error.name, error.code);
 * ```
 */
export class MetricsError extends AsrqError<keyof typeof metricsErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'MetricsError';

  /**
   * True for a MetricsError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a MetricsError.
   */
  static override isInstance(value: unknown): value is MetricsError {
    return AsrqError.hasMarker(value, marker);
  }
}
