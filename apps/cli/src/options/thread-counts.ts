import { InvalidArgumentError } from 'commander';
import { bounded, LIMITS } from './parsers.js';

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
