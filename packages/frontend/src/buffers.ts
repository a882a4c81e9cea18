import { FrontEndError } from './errors.js';

/**
 * The first `length` values of `out`, or a new array when `out` is not given.
 * @param out - Caller's buffer, if any.
 * @param length - Values needed.
 * @param frontEnd - Front-end name, for the message.
 * @returns A Float32Array of exactly `length` values.
 * @throws AsrqError `FRONTEND_OUT_TOO_SMALL` when `out` is shorter than `length`.
 */
export function outputBuffer(out: Float32Array | undefined, length: number, frontEnd: string): Float32Array {
  if (!out) return new Float32Array(length);
  if (out.length < length) {
    throw new FrontEndError(
      'FRONTEND_OUT_TOO_SMALL',
      `${frontEnd}: the output buffer holds ${out.length} values but ${length} are needed; size it as frameCount(samples) * dim.`,
    );
  }
  return out.subarray(0, length);
}
