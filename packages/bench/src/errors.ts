import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/bench`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const benchErrorCodes = {
  BENCH_BAD_JOURNAL: {
    exit: 'input',
    summary: 'A benchmark journal (results.jsonl) has a broken line before its last one.',
  },
  BENCH_BAD_REPORT: {
    exit: 'input',
    summary: 'A report.json is not JSON or not an asrq bench report of this schema version.',
  },
  BENCH_BAD_MODEL_OUTPUT: {
    exit: 'model',
    summary: 'A model gave output that cannot be decoded (NaN, infinite); names the model and the utterance.',
  },
  BENCH_BAD_OPTION: { exit: 'usage', summary: 'A benchmark option is out of range; names it.' },
  BENCH_BAD_SHARD: { exit: 'input', summary: 'A --shard value is not i/n with 1 <= i <= n.' },
  BENCH_JOB_FAILED: {
    exit: 'input',
    summary: 'A worker process of a benchmark spread over processes (`--jobs`) ended abnormally.',
  },
  BENCH_INPUT_UNREADABLE: {
    exit: 'input',
    summary: 'A benchmark input (model, tokenizer, corpus file) cannot be read to fingerprint it.',
  },
  BENCH_MERGE_INCOMPLETE: { exit: 'input', summary: 'A shard to merge did not finish.' },
  BENCH_MERGE_MISMATCH: { exit: 'input', summary: 'Directories to merge are not shards of one run.' },
  BENCH_NOT_ENOUGH_DATA: { exit: 'input', summary: 'The corpus has no utterances left after the warm-up ones.' },
  BENCH_NO_JOB_WORKER: {
    exit: 'input',
    summary: 'The job worker script is not built, so a run cannot be spread over processes (build @asrq/bench).',
  },
  BENCH_NO_MODEL: { exit: 'usage', summary: 'No model to benchmark.' },
  BENCH_OUT_EXISTS: {
    exit: 'usage',
    summary: 'The output directory already holds a run and neither --resume nor --force was given.',
  },
  BENCH_OUT_LOCKED: { exit: 'usage', summary: 'The output directory is in use by another live benchmark.' },
  BENCH_REPORT_NOT_FOUND: { exit: 'input', summary: 'A report.json cannot be read.' },
  BENCH_RESUME_MISMATCH: {
    exit: 'usage',
    summary: 'A run to resume was made with other models or settings, or has no header.',
  },
  BENCH_VOCAB_MISMATCH: {
    exit: 'model',
    summary: "A model's output size differs from its tokenizer's vocabulary size.",
  },
} as const satisfies ErrorCodeTable;

/** A code of {@link benchErrorCodes}. */
export type BenchErrorCode = keyof typeof benchErrorCodes;

const marker = Symbol.for('asrq.error.BenchError');

/**
 * Errors of the benchmark harness: options, output directories, resuming, shards. `code` is one of {@link benchErrorCodes}.
 *
 * @example
 * ```ts
 * import { BenchError } from '@asrq/bench';
 * const error = new BenchError('BENCH_NO_MODEL', 'No model to benchmark. Pass at least one model.', { argument: 'models' });
 * console.log(BenchError.isInstance(error), error.name, error.code);
 * ```
 */
export class BenchError extends AsrqError<keyof typeof benchErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'BenchError';

  /**
   * True for a BenchError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a BenchError.
   */
  static override isInstance(value: unknown): value is BenchError {
    return AsrqError.hasMarker(value, marker);
  }
}
