// One worker process of `runBenchJobs` (built as dist/job-worker.js): runs the config file it is
// given (one shard of the run) into --out, printing its progress as JSON lines on stdout, then
// {"status":"finished"} or {"status":"error","code":...,"message":...} for the parent.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AsrqError } from '@asrq/core';
import { stopWithParent } from '@asrq/core/node';
import { runBenchmark } from '../harness.js';
import { buildReport } from '../report.js';
import type { BenchConfig } from '../types.js';
import { environmentFacts, writeReports } from '../write-report.js';

const send = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

/** Runs the job; SIGINT or SIGTERM (also from {@link stopWithParent}) stops it with what it wrote kept. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
      force: { type: 'boolean' },
    },
  });
  const controller = new AbortController();
  const abort = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  const config = JSON.parse(await readFile(values.config!, 'utf8')) as BenchConfig;
  const run = await runBenchmark(config, {
    outDir: values.out!,
    resume: Boolean(values.resume),
    force: Boolean(values.force),
    signal: controller.signal,
    onProgress: send,
  });
  await writeReports(values.out!, buildReport(run, environmentFacts()), run);
  send({ status: 'finished' });
}

stopWithParent();
try {
  await main();
} catch (error) {
  if (AsrqError.isInstance(error)) send({ status: 'error', code: error.code, message: error.message });
  else process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
}
