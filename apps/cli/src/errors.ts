import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `asrq`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const cliErrorCodes = {
  CLI_BAD_FEATURES: {
    exit: 'input',
    summary: 'A front end gave NaN or infinite features for an audio file (asrq features).',
  },
  CLI_BAD_FRONTEND_CONFIG: { exit: 'input', summary: 'The --frontend-config file cannot be read or parsed.' },
  CLI_FILE_NOT_FOUND: { exit: 'input', summary: 'A file named on the command line cannot be read.' },
  CLI_NO_AUDIO: { exit: 'input', summary: 'An audio argument matches no file.' },
  CLI_OUTPUT_EXISTS: {
    exit: 'input',
    summary: 'An output path already holds files the command would overwrite (pass --force to overwrite them).',
  },
  CLI_OUTPUT_UNWRITABLE: {
    exit: 'input',
    summary:
      'An output folder cannot be written (read-only, full, or a file in the way); checked before the work starts.',
  },
  CLI_SOME_INPUTS_FAILED: {
    exit: 'input',
    summary: 'Some inputs of a multi-file command failed (the others were processed).',
  },
  CLI_USAGE: {
    exit: 'usage',
    summary: 'A command-line mistake the parser cannot catch (conflicting or malformed values).',
  },
} as const satisfies ErrorCodeTable;

/** A code of {@link cliErrorCodes}. */
export type CliErrorCode = keyof typeof cliErrorCodes;

const marker = Symbol.for('asrq.error.CliError');

/**
 * Errors the asrq CLI throws itself (command-line mistakes the parser cannot catch, files named on the command line). `code` is one of {@link cliErrorCodes}.
 *
 * @example
 * ```ts
 * import { CliError } from './errors.js';
 * const error = new CliError('CLI_USAGE', 'Pass --calib <corpus>.');
 * console.log(CliError.isInstance(error), error.name, error.code);
 * ```
 */
export class CliError extends AsrqError<keyof typeof cliErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'CliError';

  /**
   * True for a CliError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a CliError.
   */
  static override isInstance(value: unknown): value is CliError {
    return AsrqError.hasMarker(value, marker);
  }
}
