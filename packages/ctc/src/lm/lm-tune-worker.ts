// Worker thread of `tuneLmWeights` (built as dist/lm-tune-worker.js): decodes the shared dev-set
// log-probs at the points it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { decodeAtWeights, type LmTuneJob } from './tune-job.js';

const job = workerData as LmTuneJob;
parentPort!.on('message', (message: { id: number; points: { alpha: number; beta: number }[] }) => {
  parentPort!.postMessage({ id: message.id, texts: decodeAtWeights(job, message.points) });
});
