import { AudioError, audioErrorCodes } from '@asrq/audio';
import { AsrqError, CoreError, coreErrorCodes, type ErrorCodeTable } from '@asrq/core';
import { CtcError, ctcErrorCodes } from '@asrq/ctc';
import { MetricsError, metricsErrorCodes } from '@asrq/metrics';
import { AsrqRuntimeError, runtimeErrorCodes } from '@asrq/runtime';
import { BenchError, benchErrorCodes } from '../errors.js';

type ErrorClass = new (code: never, message: string) => AsrqError;

/** The code tables of the packages a benchmark run throws from, with their subclasses. */
const tables: ReadonlyArray<readonly [ErrorCodeTable, ErrorClass]> = [
  [coreErrorCodes, CoreError],
  [audioErrorCodes, AudioError],
  [ctcErrorCodes, CtcError],
  [metricsErrorCodes, MetricsError],
  [runtimeErrorCodes, AsrqRuntimeError],
  [benchErrorCodes, BenchError],
];

/**
 * Re-creates the error a job process reported, as the subclass its package throws it with, so
 * the caller sees the code (and the exit code it maps to) the job saw.
 * @param code - The code the job reported.
 * @param message - The message to give the error.
 * @returns The error to throw (a plain AsrqError for a code of a package outside these tables).
 */
export function jobError(code: string, message: string): AsrqError {
  const owner = tables.find(([table]) => Object.hasOwn(table, code))?.[1];
  // typed-errors: keep AsrqError (the code is only known at run time, and may come from a package bench does not import)
  return owner ? new owner(code as never, message) : new AsrqError(code, message);
}
