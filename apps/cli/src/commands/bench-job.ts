import { readFile } from 'node:fs/promises';
import { buildReport, environmentFacts, runBenchmark, writeReports, type BenchConfig } from '@asrq/bench';
import { AsrqError } from '@asrq/core';
import type { Command } from 'commander';
import { print } from '../output.js';
import { withAbort } from '../signals.js';

interface BenchJobFlags {
  config: string;
  out: string;
  resume?: boolean;
  force?: boolean;
}

/**
 * Registers the hidden `asrq bench-job`: one worker process of `asrq bench --jobs N`. It runs
 * the config file it is given (one shard of the run) into `--out`, printing its progress as JSON
 * lines on stdout, then `{"status":"finished"}` or `{"status":"error",...}` for the parent.
 */
export function registerBenchJob(program: Command): void {
  program
    .command('bench-job', { hidden: true })
    .description('one worker process of asrq bench --jobs (internal)')
    .requiredOption('--config <file>', 'BenchConfig JSON written by the parent')
    .requiredOption('--out <dir>', 'this job\'s output directory')
    .option('--resume', 'continue this job\'s journal')
    .option('--force', 'start this job over')
    .action(async (flags: BenchJobFlags) => {
      const send = (message: object) => print(JSON.stringify(message));
      try {
        const config = JSON.parse(await readFile(flags.config, 'utf8')) as BenchConfig;
        const run = await withAbort((signal) => runBenchmark(config, { outDir: flags.out, resume: Boolean(flags.resume), force: Boolean(flags.force), signal, onProgress: send }));
        await writeReports(flags.out, buildReport(run, environmentFacts()), run);
        send({ status: 'finished' });
      } catch (error) {
        if (AsrqError.isInstance(error)) send({ status: 'error', code: error.code, message: error.message });
        throw error;
      }
    });
}
