import { AsrqError } from '@asrq/core';

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

const MODEL_PREFIXES = ['RUNTIME_', 'ONNX_', 'QUANT_', 'BENCH_VOCAB'];
const USAGE_CODES = new Set(['CLI_USAGE', 'BENCH_BAD_OPTION', 'QUANT_BAD_PLAN', 'BENCH_RESUME_MISMATCH', 'BENCH_NO_MODEL', 'BENCH_OUT_EXISTS', 'BENCH_OUT_LOCKED', 'DOWNLOAD_BAD_MD5', 'PLANNER_RESUME_MISMATCH', 'PLANNER_BAD_OPTION']);

/**
 * Maps an error to the process exit code.
 * @param error - Anything thrown.
 * @returns The exit code.
 */
export function exitCodeFor(error: unknown): number {
  if (!AsrqError.isInstance(error)) return ExitCode.internal;
  if (error.code === 'ABORTED') return ExitCode.interrupted;
  if (USAGE_CODES.has(error.code)) return ExitCode.usage;
  if (MODEL_PREFIXES.some((p) => error.code.startsWith(p))) return ExitCode.model;
  return ExitCode.input;
}

/**
 * Thrown for command-line mistakes the parser cannot catch (conflicting or malformed values).
 * @param message - What was wrong and what to do.
 * @returns The error to throw.
 */
export function usageError(message: string): AsrqError {
  return new AsrqError('CLI_USAGE', message);
}
