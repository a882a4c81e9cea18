import { AsrqError, type AsrqErrorOptions } from './errors.js';

/** A constructor of an AsrqError subclass that accepts the codes `C`, e.g. `BenchError`. */
export type AsrqErrorClass<C extends string = string> = new (
  code: C,
  message: string,
  options?: AsrqErrorOptions,
) => AsrqError<C>;

/**
 * An error code bound to the subclass to throw it with, for helpers that throw on a caller's
 * behalf (`readJsonl`, `lockDirectory`, `parseStructuredText`). Make one with {@link errorCode}.
 */
export interface ErrorCodeSpec {
  /** The error code. */
  readonly code: string;
  /**
   * Creates the error.
   * @param message - What was wrong, where, and what to do.
   * @param options - `cause` and `location`.
   * @returns The error to throw.
   */
  create(message: string, options?: AsrqErrorOptions): AsrqError;
}

/**
 * Binds a code to the subclass that owns it; the code is checked against the subclass's codes at
 * compile time.
 * @param errorClass - The package's subclass, e.g. `BenchError`.
 * @param code - One of its codes, e.g. `BENCH_BAD_JOURNAL`.
 * @returns The spec to pass to a helper that throws on your behalf.
 * @example
 * ```ts
 * import { AsrqError, errorCode } from '@asrq/core';
 * class MyError extends AsrqError<'MY_BAD_JOURNAL'> {}
 * const spec = errorCode(MyError, 'MY_BAD_JOURNAL');
 * console.log(spec.create('journal.jsonl:3 is not valid JSON.') instanceof MyError);
 * ```
 */
export function errorCode<C extends string>(errorClass: AsrqErrorClass<C>, code: NoInfer<C>): ErrorCodeSpec {
  return { code, create: (message, options) => new errorClass(code, message, options) };
}

/**
 * Creates the error a code or spec stands for: a plain AsrqError for a bare code (the behaviour
 * of helpers before specs existed), the spec's subclass otherwise.
 * @param code - A bare code or an {@link ErrorCodeSpec}.
 * @param message - What was wrong, where, and what to do.
 * @param options - `cause` and `location`.
 * @returns The error to throw.
 */
export function createError(code: string | ErrorCodeSpec, message: string, options: AsrqErrorOptions = {}): AsrqError {
  return typeof code === 'string' ? new AsrqError(code, message, options) : code.create(message, options);
}
