import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BenchError,
  composeShard,
  journalPath,
  mergeShards,
  readJournal,
  type BenchConfig,
  type BenchProgress,
  type BenchRun,
} from '@asrq/bench';
import { CoreError } from '@asrq/core';
import { errorFromCode } from '../exit-codes.js';
import { PARENT_FD_ENV } from '../parent-watch.js';
import { CliError } from '../errors.js';

/** Options of {@link runBenchJobs}. */
export interface BenchJobsOptions {
  outDir: string;
  /** Worker processes (2 or more). */
  jobs: number;
  resume?: boolean;
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: BenchProgress) => void;
}

/** A line a job process prints on stdout: its progress, then `finished` or its error. */
type JobMessage = BenchProgress | { status: 'finished' } | { status: 'error'; code: string; message: string };

/** Directory of job `job` (1-based) inside a `--jobs` run's output directory. */
export function jobDir(outDir: string, job: number): string {
  return join(outDir, 'jobs', String(job));
}

/**
 * Runs a benchmark as `jobs` worker processes (this CLI's hidden `bench-job` command), each on
 * one intra-op thread and one round-robin slice of the utterances (a shard of the run, so
 * `--jobs` composes with `--shard`), then merges their journals into `outDir`. Each job keeps
 * its own journal under `outDir/jobs/<j>`, so `--resume` continues every job where it stopped.
 *
 * @param config - The run (threads must be 1).
 * @param options - Output directory, job count, resume/force, cancellation and progress.
 * @returns The merged run.
 * @throws AsrqError `BENCH_OUT_EXISTS` when `outDir` holds a run (without resume/force), the first
 *   failing job's error (its code, the message prefixed with the job), `BENCH_JOB_FAILED` when a job crashed.
 */
export async function runBenchJobs(config: BenchConfig, options: BenchJobsOptions): Promise<BenchRun> {
  const { outDir, jobs } = options;
  await refuseExistingRun(options);
  const relay = progressRelay(jobs, options.onProgress);
  const children: Array<ReturnType<typeof spawn>> = [];
  const stop = () => children.forEach((child) => child.exitCode === null && child.kill('SIGINT'));
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const runs = Array.from({ length: jobs }, async (_, i) => {
      const job = i + 1;
      const { child, dir } = await spawnJob(config, options, job);
      children.push(child);
      return await followJob(child, job, jobs, dir, relay(i));
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
      `${outDir} already holds a run (${journalPath(outDir)}). Pass --resume to continue it, --force to start over, or choose another --out.`,
    );
  }
}

/** Writes job `job`'s config (its shard of the run, one thread) and starts its `bench-job` process. */
async function spawnJob(
  config: BenchConfig,
  options: BenchJobsOptions,
  job: number,
): Promise<{ child: ReturnType<typeof spawn>; dir: string }> {
  const { outDir, jobs } = options;
  const dir = jobDir(outDir, job);
  await mkdir(dir, { recursive: true });
  const file = join(outDir, 'jobs', `job-${job}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ ...config, threads: 1, jobs, shard: composeShard(config.shard, job, jobs) })}\n`,
  );
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    'bench-job',
    '--config',
    file,
    '--out',
    dir,
    ...(options.resume ? ['--resume'] : []),
    ...(options.force ? ['--force'] : []),
  ];
  // fd 3: a pipe the job watches, so it stops with this process even when this one is killed outright.
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, [PARENT_FD_ENV]: '3' },
  });
  return { child, dir };
}

/**
 * Combines the jobs' progress into one stream: `measuring` counts summed over jobs, loading and
 * corpus notes from job 1 only, each job's `done` and `warmup` dropped.
 * @returns For job index `i` (0-based), the handler of that job's events.
 */
function progressRelay(
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
        // Every job loads the same models and sees the same corpus: say it once.
        if (job === 1) onProgress?.(event);
      } else if (event.status !== 'done' && event.status !== 'warmup') onProgress?.(event);
    };
  };
}

/** Follows one job process to its end. */
function followJob(
  child: ReturnType<typeof spawn>,
  job: number,
  jobs: number,
  dir: string,
  onProgress: (event: BenchProgress) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    let outcome: JobMessage | undefined;
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (!line.startsWith('{')) continue;
        const message = JSON.parse(line) as JobMessage;
        if (message.status === 'finished' || message.status === 'error') outcome = message;
        else onProgress(message);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0 && outcome?.status === 'finished') resolve();
      else if (outcome?.status === 'error')
        reject(errorFromCode(outcome.code, `job ${job}/${jobs}: ${outcome.message}`));
      else
        reject(
          new CliError(
            'BENCH_JOB_FAILED',
            `Job ${job}/${jobs} (a worker process) ended with ${signal ?? `exit code ${code}`}: ${stderr.trim() || 'no message'}. Its results so far are in ${dir}; fix the cause and run again with --resume.`,
          ),
        );
    });
  });
}
