import type { BenchProgress } from '../types.js';

/**
 * Combines the progress of a run's job processes into one stream: `measuring` counts summed over
 * jobs, loading and corpus notes from job 1 only (every job loads the same models and sees the
 * same corpus), each job's `done` and `warmup` dropped.
 * @param jobs - Job processes.
 * @param onProgress - Where the combined stream goes.
 * @returns For job index `i` (0-based), the handler of that job's events.
 */
export function progressRelay(
  jobs: number,
  onProgress: ((event: BenchProgress) => void) | undefined,
): (i: number) => (event: BenchProgress) => void {
  const done = new Array<number>(jobs).fill(0);
  const totals = new Array<number>(jobs).fill(0);
  return (i) => {
    const job = i + 1;
    return (event) => {
      if (event.status === 'measuring') {
        done[i] = event.done;
        totals[i] = event.total;
        onProgress?.({
          ...event,
          done: done.reduce((a, b) => a + b, 0),
          total: totals.reduce((a, b) => a + b, 0),
          id: `${event.id} (job ${job})`,
        });
      } else if (event.status === 'loading' || event.status === 'short' || event.status === 'corpus-warning') {
        if (job === 1) onProgress?.(event);
      } else if (event.status !== 'done' && event.status !== 'warmup') onProgress?.(event);
    };
  };
}
