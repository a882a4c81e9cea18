// Worker thread of `asrq lm tune`: decodes the shared dev-set log-probs at the points it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { decodePoints, type TuneJob } from './decode-points.js';

const job = workerData as TuneJob;
parentPort!.on('message', (message: { id: number; points: { alpha: number; beta: number }[] }) => {
  parentPort!.postMessage({ id: message.id, texts: decodePoints(job, message.points) });
});
