import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARENT_FD_ENV } from '@asrq/core/node';
import { BenchError } from '../errors.js';
import { composeShard } from '../shard.js';
import type { BenchConfig, BenchProgress } from '../types.js';
import { jobError } from './job-error.js';

/** A line a job process prints on stdout: its progress, then `finished` or its error. */
export type JobMessage = BenchProgress | { status: 'finished' } | { status: 'error'; code: string; message: string };

/** What a job process is started with. */
export interface JobSpec {
  /** The run's output directory (the job writes into `jobs/<job>` below it). */
  outDir: string;
  /** 1-based. */
  job: number;
  jobs: number;
  resume?: boolean;
  force?: boolean;
}

/**
 * Directory of job `job` (1-based) inside a multi-process run's output directory.
 * @param outDir - The run's output directory.
 * @param job - 1-based job number.
 * @returns `outDir/jobs/<job>`.
 */
export function jobDir(outDir: string, job: number): string {
  return join(outDir, 'jobs', String(job));
}

/**
 * The built job worker (`dist/job-worker.js`, beside the code that starts it).
 * @throws BenchError `BENCH_NO_JOB_WORKER` when it is not there (running from sources without a build).
 */
function jobWorkerPath(): string {
  const path = fileURLToPath(new URL('./job-worker.js', import.meta.url));
  if (!existsSync(path))
    throw new BenchError(
      'BENCH_NO_JOB_WORKER',
      `The job worker ${path} is not built, so the run cannot be spread over processes. Build @asrq/bench (pnpm turbo run build --filter=@asrq/bench), or run with one job.`,
      { location: path },
    );
  return path;
}

/**
 * Writes job `job`'s config (its shard of the run, one thread) and starts its worker process.
 * @param config - The whole run.
 * @param spec - Output directory, job number and count, resume/force.
 * @returns The process and the job's directory.
 */
export async function spawnJob(config: BenchConfig, spec: JobSpec): Promise<{ child: ChildProcess; dir: string }> {
  const { outDir, job, jobs } = spec;
  const worker = jobWorkerPath();
  const dir = jobDir(outDir, job);
  await mkdir(dir, { recursive: true });
  const file = join(outDir, 'jobs', `job-${job}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ ...config, threads: 1, jobs, shard: composeShard(config.shard, job, jobs) })}\n`,
  );
  const args = [
    ...process.execArgv,
    worker,
    '--config',
    file,
    '--out',
    dir,
    ...(spec.resume ? ['--resume'] : []),
    ...(spec.force ? ['--force'] : []),
  ];
  // fd 3: a pipe the job watches, so it stops with this process even when this one is killed outright.
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, [PARENT_FD_ENV]: '3' },
  });
  return { child, dir };
}

/**
 * Follows one job process to its end, passing its progress on.
 * @param child - The process.
 * @param spec - Its job number and count, for messages.
 * @param dir - Its directory, for messages.
 * @param onProgress - Receives its progress events.
 * @returns Resolves when the job finished.
 * @throws The job's own error (its code, the message prefixed with the job), or BenchError
 *   `BENCH_JOB_FAILED` when it ended without saying why.
 */
export function followJob(
  child: ChildProcess,
  spec: Pick<JobSpec, 'job' | 'jobs'>,
  dir: string,
  onProgress: (event: BenchProgress) => void,
): Promise<void> {
  const { job, jobs } = spec;
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
      else if (outcome?.status === 'error') reject(jobError(outcome.code, `job ${job}/${jobs}: ${outcome.message}`));
      else
        reject(
          new BenchError(
            'BENCH_JOB_FAILED',
            `Job ${job}/${jobs} (a worker process) ended with ${signal ?? `exit code ${code}`}: ${stderr.trim() || 'no message'}. Its results so far are in ${dir}; fix the cause and run again with \`resume\`.`,
            { argument: 'resume' },
          ),
        );
    });
  });
}
