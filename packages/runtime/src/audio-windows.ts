import { DEFAULT_CHUNK_SEC } from './defaults.js';
import { AsrqRuntimeError } from './errors.js';

/**
 * Cuts audio into consecutive windows of at most `windowSec` seconds, of nearly equal length (so
 * no window is a sliver shorter than the model's receptive field), as views of `samples` (no
 * copy). Audio that fits in one window is returned whole. Calibration and the validation sample
 * run the model on each window as its own input: a 10-minute file in one piece would need
 * gigabytes in a transformer's attention, as transcription's windows (`forwardLong`) avoid.
 * @param samples - Mono audio at `sampleRate`.
 * @param sampleRate - Hz.
 * @param windowSec - Longest window in seconds (default 30, transcription's default window).
 * @returns The windows in order; together they are exactly `samples`.
 * @throws AsrqError `RUNTIME_BAD_CHUNKING` when `windowSec` is not a positive number.
 * @example
 * ```ts
 * audioWindows(new Float32Array(16000 * 70), 16000).map((w) => w.length / 16000); // [23.33…, 23.33…, 23.33…]
 * ```
 */
export function audioWindows(
  samples: Float32Array,
  sampleRate: number,
  windowSec: number = DEFAULT_CHUNK_SEC,
): Float32Array[] {
  if (!(Number.isFinite(windowSec) && windowSec > 0))
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_CHUNKING',
      `windowSec is ${windowSec}; it must be a number of seconds > 0.`,
    );
  const most = Math.max(1, Math.floor(windowSec * sampleRate));
  if (samples.length <= most) return [samples];
  const count = Math.ceil(samples.length / most);
  const windows: Float32Array[] = [];
  for (let k = 0; k < count; k++)
    windows.push(
      samples.subarray(Math.floor((k * samples.length) / count), Math.floor(((k + 1) * samples.length) / count)),
    );
  return windows;
}
