const marker = Symbol.for('asrq.error');

/**
 * Base class of every error asrq throws on purpose. `code` is stable (tools and the CLI
 * switch on it); `message` says what was wrong, where, and what to do about it.
 *
 * @example
 * ```ts
 * throw new AsrqError('AUDIO_UNSUPPORTED_FORMAT', `${path}: not a WAV or FLAC file. Convert it with ffmpeg -i in.mp3 out.flac.`);
 * ```
 */
export class AsrqError extends Error {
  /** Stable machine-readable error code, e.g. `AUDIO_DECODE_FAILED`. */
  readonly code: string;
  /** Where the problem is (file path, file:line, node name), when known. */
  readonly location?: string;
  private readonly [marker] = true;

  /**
   * @param code - Stable code in SCREAMING_SNAKE_CASE, prefixed by the package's area.
   * @param message - What was wrong, where, and what to do.
   * @param options - `cause` (the underlying error) and `location`.
   */
  constructor(code: string, message: string, options: { cause?: unknown; location?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AsrqError';
    this.code = code;
    if (options.location !== undefined) this.location = options.location;
  }

  /**
   * True for any AsrqError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is an AsrqError.
   */
  static isInstance(value: unknown): value is AsrqError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/**
 * Thrown when a long operation is cancelled through its AbortSignal.
 * @param signal - The signal that fired; its reason becomes the cause.
 * @throws AsrqError with code `ABORTED` when the signal is aborted.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AsrqError('ABORTED', 'The operation was cancelled.', { cause: signal.reason });
  }
}
