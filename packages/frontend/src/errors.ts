import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/frontend`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const frontEndErrorCodes = {
  FRONTEND_BAD_CONFIG: {
    exit: 'input',
    summary: 'A front-end configuration is malformed or has an out-of-range option; names it.',
  },
  FRONTEND_BAD_FFT_SIZE: { exit: 'input', summary: 'An FFT size is not a power of two >= 2.' },
  FRONTEND_OUT_TOO_SMALL: { exit: 'input', summary: 'An output buffer passed to a front end is too small.' },
  FRONTEND_UNKNOWN: { exit: 'input', summary: 'A front-end name is unknown.' },
} as const satisfies ErrorCodeTable;

/** A code of {@link frontEndErrorCodes}. */
export type FrontEndErrorCode = keyof typeof frontEndErrorCodes;

const marker = Symbol.for('asrq.error.FrontEndError');

/**
 * Errors of the feature front ends. `code` is one of {@link frontEndErrorCodes}.
 *
 * @example
 * ```ts
 * import { FrontEndError } from '@asrq/frontend';
 * const error = new FrontEndError('FRONTEND_UNKNOWN', "Unknown front end 'x'.");
 * console.log(FrontEndError.isInstance(error), error.name, error.code);
 * ```
 */
export class FrontEndError extends AsrqError<keyof typeof frontEndErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'FrontEndError';

  /**
   * True for a FrontEndError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a FrontEndError.
   */
  static override isInstance(value: unknown): value is FrontEndError {
    return AsrqError.hasMarker(value, marker);
  }
}
