import type { BenchConfig } from '@asrq/bench';
import { InvalidArgumentError } from 'commander';
import { bounded, LIMITS } from './options.js';

/**
 * Parses `--threads 1` or `--threads 1,2` (intra-op thread counts, each measured in the same run).
 * @param value - Comma-separated positive integers, no duplicates.
 * @returns The counts in the order given.
 * @throws InvalidArgumentError for anything else (commander turns it into a usage error).
 */
export const threadCounts = bounded(
  (value: string): number[] => {
    const counts = value.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > LIMITS.threads))
      throw new InvalidArgumentError(
        `expected whole numbers from 1 to ${LIMITS.threads} separated by commas (e.g. 1,2), got "${value}".`,
      );
    if (new Set(counts).size !== counts.length)
      throw new InvalidArgumentError(`each thread count once, got "${value}".`);
    return counts;
  },
  { min: 1, max: LIMITS.threads },
);

/**
 * The bench config fields for one or several thread counts: with several, every model is listed
 * once per count (all models at the first count, then all at the next), so the harness measures
 * them interleaved per utterance and the report compares each with the first model at its count.
 * @param models - Model paths as given.
 * @param threads - One count, or the list `--threads` gave.
 * @returns `models`, `threads` and, for several counts, `modelThreads`.
 */
export function threadConfig(
  models: readonly string[],
  threads: number | readonly number[],
): Pick<BenchConfig, 'models' | 'threads' | 'modelThreads'> {
  const counts = typeof threads === 'number' ? [threads] : [...threads];
  if (counts.length === 1) return { models: [...models], threads: counts[0]! };
  return {
    models: counts.flatMap(() => models),
    threads: counts[0]!,
    modelThreads: counts.flatMap((t) => models.map(() => t)),
  };
}
