const marker = Symbol.for('asrq.error');

/**
 * How the asrq CLI treats an error code: `usage` (exit 2, a bad command line or option),
 * `input` (exit 3, a user file or corpus that cannot be used), `model` (exit 4, a model that
 * cannot be loaded, run or quantized as asked) or `interrupted` (exit 130, cancelled).
 */
export type ExitCategory = 'usage' | 'input' | 'model' | 'interrupted';

/** What one error code means: its exit category and a one-line summary for the docs. */
export interface ErrorCodeInfo {
  /** How the CLI exits when this code reaches it. */
  readonly exit: ExitCategory;
  /** One sentence saying when the code is thrown. */
  readonly summary: string;
}

/**
 * A package's error codes as data: code (SCREAMING_SNAKE_CASE) to {@link ErrorCodeInfo}.
 * Each package declares one with `as const satisfies ErrorCodeTable` and derives its code union
 * from it (`keyof typeof table`), so a typo in a thrown code is a compile error.
 */
export type ErrorCodeTable = Readonly<Record<string, ErrorCodeInfo>>;

/** Options every asrq error accepts. */
export interface AsrqErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** Where the problem is (file path, file:line, node name). */
  location?: string;
  /**
   * The argument or option of the call to change, by its API name (`tokenizer`, `chunkSec`,
   * `outDir`), or several. Library messages name it in backticks (`` `tokenizer` ``), never by a
   * command-line flag; the asrq CLI puts its flag for it in the message's place.
   */
  argument?: string | readonly string[];
}

/**
 * Base class of every error asrq throws on purpose. `code` is stable (tools and the CLI
 * switch on it); `message` says what was wrong, where, and what to do about it. Each package
 * throws its own subclass (`AudioError`, `CtcError`, `OnnxError`, ...) whose `code` is typed
 * by the package's code table and whose `name` is the subclass's name; catching `AsrqError`
 * (or testing {@link AsrqError.isInstance}) still catches all of them.
 *
 * @typeParam C - The codes this error can carry (`string` for the base class).
 * @example
 * ```ts
 * import { AsrqError } from '@asrq/core';
 * try {
 *   JSON.parse('{');
 * } catch (cause) {
 *   const error = new AsrqError('MY_TOOL_BAD_JSON', 'config.json is not valid JSON. Fix it and run again.', { cause });
 *   console.log(AsrqError.isInstance(error), error.code);
 * }
 * ```
 */
export class AsrqError<C extends string = string> extends Error {
  /** Stable machine-readable error code, e.g. `AUDIO_DECODE_FAILED`. */
  readonly code: C;
  /** Where the problem is (file path, file:line, node name), when known. */
  readonly location?: string;
  /** The arguments or options of the call to change, by their API names (see {@link AsrqErrorOptions.argument}). */
  readonly argumentNames?: readonly string[];
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;

  /**
   * @param code - Stable code in SCREAMING_SNAKE_CASE, prefixed by the package's area.
   * @param message - What was wrong, where, and what to do.
   * @param options - `cause` (the underlying error), `location` and `argument` (what to change).
   */
  constructor(code: C, message: string, options: AsrqErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AsrqError';
    this.code = code;
    if (options.location !== undefined) this.location = options.location;
    if (options.argument !== undefined)
      this.argumentNames = typeof options.argument === 'string' ? [options.argument] : [...options.argument];
  }

  /**
   * True for any AsrqError (any subclass too), also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is an AsrqError.
   */
  static isInstance(value: unknown): value is AsrqError {
    return AsrqError.hasMarker(value, marker);
  }

  /**
   * True when `value` is an AsrqError carrying the subclass marker `classMarker` (a
   * `Symbol.for(...)` key the subclass sets to `true`), also across duplicated package copies.
   * Subclasses implement their `isInstance` with it.
   * @param value - Anything caught.
   * @param classMarker - The subclass's marker symbol.
   * @returns Whether `value` is an AsrqError with that marker.
   */
  protected static hasMarker(value: unknown, classMarker: symbol): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const record = value as Record<symbol, unknown>;
    return record[marker] === true && record[classMarker] === true;
  }
}
