import { AudioError, audioErrorCodes } from '@asrq/audio';
import { BenchError, benchErrorCodes } from '@asrq/bench';
import {
  AsrqError,
  CoreError,
  coreErrorCodes,
  type ErrorCodeInfo,
  type ErrorCodeTable,
  type ExitCategory,
} from '@asrq/core';
import { CtcError, ctcErrorCodes } from '@asrq/ctc';
import { FrontEndError, frontEndErrorCodes } from '@asrq/frontend';
import { MetricsError, metricsErrorCodes } from '@asrq/metrics';
import { OnnxError, onnxErrorCodes } from '@asrq/onnx';
import { PlannerError, plannerErrorCodes } from '@asrq/planner';
import { QuantizeError, quantizeErrorCodes } from '@asrq/quantize';
import { AsrqRuntimeError, runtimeErrorCodes } from '@asrq/runtime';
import { CliError, cliErrorCodes } from './errors.js';

/** Exit codes of the asrq CLI, stable for scripts. */
export const ExitCode = {
  ok: 0,
  /** A bug: an unexpected exception (printed with its stack). */
  internal: 1,
  /** Bad command line: unknown flag, missing or malformed value. */
  usage: 2,
  /** A user input could not be used: missing file, corrupt audio, bad transcript or ARPA file. */
  input: 3,
  /** The model could not be loaded, is not a CTC speech model, or cannot be quantized as asked. */
  model: 4,
  /** Cancelled with Ctrl-C (partial results are kept; `--resume` continues). */
  interrupted: 130,
} as const;

/** One exit code with its meaning, for the docs. */
export interface ExitCodeDoc {
  /** Key in {@link ExitCode}. */
  name: keyof typeof ExitCode;
  /** The process exit code. */
  value: number;
  /** What it means. */
  meaning: string;
}

/** The exit codes with their meanings, in {@link ExitCode} order (the docs render this table). */
export const exitCodeDocs: readonly ExitCodeDoc[] = [
  { name: 'ok', value: ExitCode.ok, meaning: '' },
  { name: 'internal', value: ExitCode.internal, meaning: 'A bug: an unexpected exception (printed with its stack).' },
  { name: 'usage', value: ExitCode.usage, meaning: 'Bad command line: unknown flag, missing or malformed value.' },
  {
    name: 'input',
    value: ExitCode.input,
    meaning: 'A user input could not be used: missing file, corrupt audio, bad transcript or ARPA file.',
  },
  {
    name: 'model',
    value: ExitCode.model,
    meaning: 'The model could not be loaded, is not a CTC speech model, or cannot be quantized as asked.',
  },
  {
    name: 'interrupted',
    value: ExitCode.interrupted,
    meaning: 'Cancelled with Ctrl-C (partial results are kept; `--resume` continues).',
  },
];

type ErrorClass = new (code: never, message: string, options?: { cause?: unknown; location?: string }) => AsrqError;

/** One package's error codes and the subclass it throws them with. */
export interface PackageErrorCodes {
  /** The npm package name, e.g. `@asrq/audio` (`asrq` for the CLI). */
  package: string;
  /** The subclass the package throws, e.g. `AudioError`. */
  errorClass: ErrorClass & { name: string };
  /** The package's code table. */
  codes: ErrorCodeTable;
}

/** Every package's code table, in dependency order (core first, the CLI last). */
export const errorCodeTables: readonly PackageErrorCodes[] = [
  { package: '@asrq/core', errorClass: CoreError, codes: coreErrorCodes },
  { package: '@asrq/audio', errorClass: AudioError, codes: audioErrorCodes },
  { package: '@asrq/ctc', errorClass: CtcError, codes: ctcErrorCodes },
  { package: '@asrq/frontend', errorClass: FrontEndError, codes: frontEndErrorCodes },
  { package: '@asrq/metrics', errorClass: MetricsError, codes: metricsErrorCodes },
  { package: '@asrq/onnx', errorClass: OnnxError, codes: onnxErrorCodes },
  { package: '@asrq/quantize', errorClass: QuantizeError, codes: quantizeErrorCodes },
  { package: '@asrq/runtime', errorClass: AsrqRuntimeError, codes: runtimeErrorCodes },
  { package: '@asrq/bench', errorClass: BenchError, codes: benchErrorCodes },
  { package: '@asrq/planner', errorClass: PlannerError, codes: plannerErrorCodes },
  { package: 'asrq', errorClass: CliError, codes: cliErrorCodes },
];

/** One error code as the docs list it. */
export interface ErrorCodeDoc extends ErrorCodeInfo {
  /** The code, e.g. `AUDIO_EMPTY`. */
  code: string;
  /** The package that throws it. */
  package: string;
  /** The subclass it is thrown with. */
  errorClass: string;
  /** The process exit code it maps to. */
  exitCode: number;
}

/**
 * Every error code of every package with its exit code, sorted by code (the docs render this table).
 * @returns One row per code.
 */
export function errorCodeDocs(): ErrorCodeDoc[] {
  const rows = errorCodeTables.flatMap((t) =>
    Object.entries(t.codes).map(([code, info]) => ({
      code,
      package: t.package,
      errorClass: t.errorClass.name,
      ...info,
      exitCode: ExitCode[info.exit],
    })),
  );
  return rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const byCode = new Map<string, { info: ErrorCodeInfo; table: PackageErrorCodes }>(
  errorCodeTables.flatMap((table) =>
    Object.entries(table.codes).map(([code, info]) => [code, { info, table }] as const),
  ),
);

/**
 * The exit category of an error code, from the packages' code tables.
 * @param code - An error code.
 * @returns Its category, or undefined for a code no asrq package declares.
 */
export function exitCategoryOf(code: string): ExitCategory | undefined {
  return byCode.get(code)?.info.exit;
}

/**
 * Maps an error to the process exit code: the exit category of its code in the packages' tables;
 * 3 (`input`) for an AsrqError with a code no table declares (e.g. a third-party subclass).
 * @param error - Anything thrown.
 * @returns The exit code.
 */
export function exitCodeFor(error: unknown): number {
  if (!AsrqError.isInstance(error)) return ExitCode.internal;
  return ExitCode[exitCategoryOf(error.code) ?? 'input'];
}

/**
 * Re-creates an error under a new message (transcribe names the input an error came from) as the
 * subclass its package throws it with (a plain AsrqError for a code no table declares).
 * @param code - The error code.
 * @param message - The message to give the error.
 * @returns The error to throw.
 */
export function errorFromCode(code: string, message: string): AsrqError {
  const owner = byCode.get(code)?.table.errorClass;
  // typed-errors: keep AsrqError (the code is only known at run time; see scripts/codemods/typed-errors.mjs)
  return owner ? new owner(code as never, message) : new AsrqError(code, message);
}

/**
 * Thrown for command-line mistakes the parser cannot catch (conflicting or malformed values).
 * @param message - What was wrong and what to do.
 * @returns The error to throw.
 */
export function usageError(message: string): CliError {
  return new CliError('CLI_USAGE', message);
}
