import { MetricsError } from './errors.js';

/**
 * Real-time factor: processing seconds divided by audio seconds (below 1 is faster than real
 * time). The one function every asrq report, the CLI and the docs use, so RTFs cannot diverge.
 * @param processingSec - Time spent processing, in seconds (state the scope alongside: see {@link RtfReport}).
 * @param audioSec - Duration of the audio processed, in seconds.
 * @returns processingSec / audioSec.
 * @throws AsrqError `METRICS_BAD_DURATION` when audioSec is not a positive finite number or processingSec is negative or not finite.
 * @example
 * ```ts
 * realTimeFactor(3, 60); // 0.05
 * ```
 */
export function realTimeFactor(processingSec: number, audioSec: number): number {
  if (!Number.isFinite(audioSec) || audioSec <= 0) {
    throw new MetricsError(
      'METRICS_BAD_DURATION',
      `Audio duration must be a positive number of seconds to compute a real-time factor, got ${audioSec}.`,
    );
  }
  if (!Number.isFinite(processingSec) || processingSec < 0) {
    throw new MetricsError(
      'METRICS_BAD_DURATION',
      `Processing time must be a non-negative number of seconds, got ${processingSec}.`,
    );
  }
  return processingSec / audioSec;
}

/** Summary statistics of repeated timings (same unit as the input). */
export interface TimingSummary {
  count: number;
  median: number;
  mean: number;
  min: number;
  max: number;
  /** 10th percentile, linear interpolation between order statistics (numpy's default). */
  p10: number;
  /** 90th percentile, linear interpolation. */
  p90: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  stdev: number;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

/**
 * Summarises repeated measurements: median and spread, so a benchmark reports more than one
 * lucky run.
 * @param values - Measurements (e.g. seconds per repeat), warm-up runs already removed.
 * @returns count, median, mean, min, max, p10, p90, stdev.
 * @throws AsrqError `METRICS_EMPTY_INPUT` when `values` is empty, `METRICS_BAD_DURATION` when a value is not finite.
 * @example
 * ```ts
 * summarizeTimings([1.2, 1.0, 1.1]).median; // 1.1
 * ```
 */
export function summarizeTimings(values: readonly number[]): TimingSummary {
  if (values.length === 0)
    throw new MetricsError('METRICS_EMPTY_INPUT', 'No timings to summarise: run at least one measured repeat.');
  const sorted = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v))
      throw new MetricsError('METRICS_BAD_DURATION', `Timing #${i + 1} is ${v}; every timing must be a finite number.`);
    sorted[i] = v;
    sum += v;
  }
  sorted.sort();
  const n = sorted.length;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i]! - mean) ** 2;
  return {
    count: n,
    median: quantile(sorted, 0.5),
    mean,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    stdev: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
  };
}

/**
 * A real-time-factor measurement with its conditions. `scope` says what was timed: `encoder`
 * (the model forward pass only, as the SpeechBrain quantization tutorial measures) or
 * `end-to-end` (audio in, text out, including decoding).
 */
export interface RtfReport {
  scope: 'encoder' | 'end-to-end';
  /** realTimeFactor(median processing seconds, audioSec). */
  rtf: number;
  /** Median processing seconds over the measured repeats. */
  processingSec: number;
  audioSec: number;
  /** Intra-op threads the runtime used. */
  threads: number;
  /** How many warm-up runs were done and left out of the numbers. */
  warmupExcluded: number;
  /** Summary of processing seconds per measured repeat (each repeat covers all of `audioSec`). */
  repeats: TimingSummary;
}

/**
 * Builds an {@link RtfReport} from per-repeat processing times: the RTF is computed from the
 * median repeat with {@link realTimeFactor}.
 * @param input - `scope`, `repeatSeconds` (processing seconds of each measured repeat over the whole audio, warm-ups excluded), `audioSec`, `threads`, `warmupExcluded`.
 * @returns The report.
 * @throws AsrqError `METRICS_EMPTY_INPUT` without repeats, `METRICS_BAD_DURATION` on bad durations, `METRICS_BAD_THREADS` when threads is not a positive integer.
 * @example
 * ```ts
 * rtfReport({ scope: 'encoder', repeatSeconds: [4.1, 4.0, 4.3], audioSec: 600, threads: 1, warmupExcluded: 1 }).rtf; // 0.00683…
 * ```
 */
export function rtfReport(input: {
  scope: RtfReport['scope'];
  repeatSeconds: readonly number[];
  audioSec: number;
  threads: number;
  warmupExcluded: number;
}): RtfReport {
  if (!Number.isInteger(input.threads) || input.threads < 1) {
    throw new MetricsError(
      'METRICS_BAD_THREADS',
      `threads must be a positive integer (the runtime's intra-op thread count), got ${input.threads}.`,
    );
  }
  const repeats = summarizeTimings(input.repeatSeconds);
  return {
    scope: input.scope,
    rtf: realTimeFactor(repeats.median, input.audioSec),
    processingSec: repeats.median,
    audioSec: input.audioSec,
    threads: input.threads,
    warmupExcluded: input.warmupExcluded,
    repeats,
  };
}
