import type { ChildProcess } from 'node:child_process';
import { CoreError } from '@asrq/core';
import { BenchError } from '../errors.js';
import { journalPath } from '../harness.js';
import { readJournal } from '../journal.js';
import { mergeShards } from '../merge.js';
import { resolveBenchConfig } from '../defaults.js';
import type { BenchProgress, BenchRun, BenchSettings } from '../types.js';
import { followJob, jobDir, spawnJob } from './job-process.js';
import { progressRelay } from './progress-relay.js';

/** Options of {@link runBenchJobs}. */
export interface BenchJobsOptions {
  /** Directory for the merged journal and reports; each job writes into `jobs/<j>` below it. */
  outDir: string;
  /** Worker processes. */
  jobs: number;
  /** Continue every job's journal where it stopped. */
  resume?: boolean;
  /** Start every job over. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: BenchProgress) => void;
}

/**
 * Runs a benchmark as `jobs` worker processes, each on one intra-op thread and one round-robin
 * slice of the utterances (a shard of the run, so it composes with `config.shard`), then merges
 * their journals into `outDir`. Each job keeps its own journal under `outDir/jobs/<j>`, so
 * `resume` continues every job where it stopped. RTF is then throughput per core: keep one
 * process for speedup claims. The job processes stop with this one, even when it is killed
 * outright.
 *
 * @param settings - The run (each job runs it at one thread; `resolveBenchConfig` applies the defaults).
 * @param options - Output directory, job count, resume/force, cancellation and progress.
 * @returns The merged run, for `buildReport`.
 * @throws BenchError `BENCH_OUT_EXISTS` when `outDir` holds a run (without resume/force),
 *   `BENCH_JOB_FAILED` when a job crashed, `BENCH_NO_JOB_WORKER` without a built worker; the first
 *   failing job's own error (its code, the message prefixed with the job); CoreError `ABORTED`.
 * @example
 * ```ts no-run
 * const run = await runBenchJobs({ ...config, threads: 1 }, { outDir: 'out', jobs: 2 });
 * await writeReports('out', buildReport(run, environmentFacts()), run);
 * ```
 */
export async function runBenchJobs(settings: BenchSettings, options: BenchJobsOptions): Promise<BenchRun> {
  const config = resolveBenchConfig(settings);
  const { outDir, jobs } = options;
  await refuseExistingRun(options);
  const relay = progressRelay(jobs, options.onProgress);
  const children: ChildProcess[] = [];
  const stop = () => children.forEach((child) => child.exitCode === null && child.kill('SIGINT'));
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const runs = Array.from({ length: jobs }, async (_, i) => {
      const spec = { outDir, job: i + 1, jobs, resume: Boolean(options.resume), force: Boolean(options.force) };
      const { child, dir } = await spawnJob(config, spec);
      children.push(child);
      return await followJob(child, spec, dir, relay(i));
    });
    const results = await Promise.allSettled(runs);
    if (options.signal?.aborted) throw new CoreError('ABORTED', 'Interrupted.');
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
  }
  options.onProgress?.({ status: 'done' });
  const merged = await mergeShards(
    Array.from({ length: jobs }, (_, i) => jobDir(outDir, i + 1)),
    { outDir, force: true, ...(config.shard ? { expected: config.shard } : {}) },
  );
  return merged.run;
}

/** Throws `BENCH_OUT_EXISTS` when `outDir` already holds a run and neither resume nor force was asked for. */
async function refuseExistingRun(options: BenchJobsOptions): Promise<void> {
  const { outDir } = options;
  const existing = await readJournal(journalPath(outDir)).catch(() => undefined);
  if (!options.resume && !options.force && existing && existing.records.length > 0) {
    throw new BenchError(
      'BENCH_OUT_EXISTS',
      `${outDir} already holds a run (${journalPath(outDir)}). Pass \`resume\` to continue it, \`force\` to start over, or choose another \`outDir\`.`,
      { argument: ['resume', 'force', 'outDir'] },
    );
  }
}
