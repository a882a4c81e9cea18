import type { BenchConfig } from '../types.js';

/**
 * The config fields for one or several intra-op thread counts: with several, every model is
 * listed once per count (all models at the first count, then all at the next), so the harness
 * measures them interleaved per utterance and the report compares each with the first model at
 * its count (`asrq bench --threads 1,2`).
 * @param models - Model paths.
 * @param threads - One count, or several.
 * @returns `models`, `threads` and, for several counts, `modelThreads`.
 * @example
 * ```ts
 * threadConfig(['a.onnx', 'b.onnx'], [1, 2]);
 * // { models: [a, b, a, b], threads: 1, modelThreads: [1, 1, 2, 2] }
 * ```
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
