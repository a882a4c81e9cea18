import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decodeAtWeights, type LmTuneJob } from './tune-job.js';

/** Decodes a tune job at (alpha, beta) points, over worker threads or in this thread. */
export interface DecodePool {
  /** Decoding threads: the workers, or 1 in this thread. */
  readonly threads: number;
  /** Why the pool decodes in this thread although more workers were asked for. */
  readonly inProcessReason?: string;
  /** Per point, the hypothesis text of each utterance. */
  decode(points: readonly { alpha: number; beta: number }[]): Promise<string[][]>;
  close(): Promise<void>;
}

/** The built worker script, beside the code that starts it (dist/lm-tune-worker.js). */
const workerUrl = new URL('./lm-tune-worker.js', import.meta.url);

/** Sends one batch of points to a worker and waits for its texts. */
function request(worker: Worker, id: number, points: { alpha: number; beta: number }[]): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { id: number; texts: string[][] }): void => {
      if (message.id !== id) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(message.texts);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.postMessage({ id, points });
  });
}

/**
 * A pool of `workers` decoding threads (decoding is pure JavaScript, so threads scale it); one
 * point at a time per worker, so a slow corner of the grid does not hold a whole share. With one
 * worker, or without the built worker script (running from the TypeScript sources), it decodes in
 * this thread and says why in `inProcessReason`.
 * @param job - What to decode.
 * @param workers - Threads asked for.
 * @returns The pool; close it when done.
 */
export function createDecodePool(job: LmTuneJob, workers: number): DecodePool {
  const built = existsSync(fileURLToPath(workerUrl));
  if (workers <= 1 || !built)
    return {
      threads: 1,
      ...(workers > 1
        ? {
            inProcessReason: `the worker script ${fileURLToPath(workerUrl)} is not built, so decoding runs in this thread instead of ${workers} worker threads (build @asrq/ctc to use them)`,
          }
        : {}),
      decode: async (points) => decodeAtWeights(job, points),
      close: async () => {},
    };
  const pool = Array.from({ length: workers }, () => new Worker(workerUrl, { workerData: job }));
  let nextId = 0;
  return {
    threads: pool.length,
    decode: async (points) => {
      const texts: string[][] = new Array(points.length);
      let next = 0;
      await Promise.all(
        pool.map(async (worker) => {
          while (next < points.length) {
            const index = next++;
            const [one] = await request(worker, nextId++, [points[index]!]);
            texts[index] = one!;
          }
        }),
      );
      return texts;
    },
    close: async () => {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
