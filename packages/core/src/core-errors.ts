import { AsrqError, type ErrorCodeTable } from './errors.js';

/** The error codes of `@asrq/core`, with the CLI exit category and a summary of each. */
export const coreErrorCodes = {
  ABORTED: {
    exit: 'interrupted',
    summary: 'A long operation was cancelled through its AbortSignal (Ctrl-C in the CLI).',
  },
  DIR_LOCKED: {
    exit: 'input',
    summary: 'A directory is locked by another live process (default code of `lockDirectory`).',
  },
  JOURNAL_BROKEN: {
    exit: 'input',
    summary: 'A JSON-lines journal has a broken line before its last one (default code of `readJsonl`).',
  },
} as const satisfies ErrorCodeTable;

/** A code of {@link coreErrorCodes}. */
export type CoreErrorCode = keyof typeof coreErrorCodes;

const marker = Symbol.for('asrq.error.CoreError');

/**
 * Errors of `@asrq/core` itself: `ABORTED` (cancelled), `DIR_LOCKED`, `JOURNAL_BROKEN`.
 *
 * @example
 * ```ts
 * import { CoreError } from '@asrq/core';
 * const error = new CoreError('ABORTED', 'The operation was cancelled.');
 * console.log(CoreError.isInstance(error), error.name);
 * ```
 */
export class CoreError extends AsrqError<keyof typeof coreErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'CoreError';

  /**
   * True for a CoreError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a CoreError.
   */
  static override isInstance(value: unknown): value is CoreError {
    return AsrqError.hasMarker(value, marker);
  }
}

/**
 * Thrown when a long operation is cancelled through its AbortSignal.
 * @param signal - The signal that fired; its reason becomes the cause.
 * @throws CoreError with code `ABORTED` when the signal is aborted.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new CoreError('ABORTED', 'The operation was cancelled.', { cause: signal.reason });
  }
}
