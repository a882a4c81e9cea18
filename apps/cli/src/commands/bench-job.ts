import { readFile } from 'node:fs/promises';
import { buildReport, environmentFacts, runBenchmark, writeReports, type BenchConfig } from '@asrq/bench';
import { AsrqError } from '@asrq/core';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../cli-options.js';
import { print } from '../output.js';
import { withAbort } from '../signals.js';
import { cliMessage } from '../flag-hints.js';

const benchJobOptions = defineOptions({
  config: { flags: '--config <file>', description: 'BenchConfig JSON written by the parent', required: true },
  out: { flags: '--out <dir>', description: "this job's output directory", required: true },
  resume: { flags: '--resume', description: "continue this job's journal" },
  force: { flags: '--force', description: 'start this job over' },
});

/**
 * Registers the hidden `asrq bench-job`: one worker process of `asrq bench --jobs N`. It runs
 * the config file it is given (one shard of the run) into `--out`, printing its progress as JSON
 * lines on stdout, then `{"status":"finished"}` or `{"status":"error",...}` for the parent.
 */
export function registerBenchJob(program: Command): void {
  addCommand(
    program,
    {
      name: 'bench-job',
      hidden: true,
      description: 'one worker process of asrq bench --jobs (internal)',
      options: benchJobOptions,
    },
    async (flags) => {
      const send = (message: object) => print(JSON.stringify(message));
      try {
        const config = JSON.parse(await readFile(flags.config, 'utf8')) as BenchConfig;
        const run = await withAbort((signal) =>
          runBenchmark(config, {
            outDir: flags.out,
            resume: Boolean(flags.resume),
            force: Boolean(flags.force),
            signal,
            onProgress: send,
          }),
        );
        await writeReports(flags.out, buildReport(run, environmentFacts()), run);
        send({ status: 'finished' });
      } catch (error) {
        if (AsrqError.isInstance(error)) send({ status: 'error', code: error.code, message: cliMessage(error) });
        throw error;
      }
    },
  );
}
