import type { BenchConfig, ShardSpec } from '@asrq/bench';
import { parseShard } from '@asrq/bench';
import { AsrqError } from '@asrq/core';
import { type Command, InvalidArgumentError } from 'commander';
import { usageError } from './exit-codes.js';
import { integer } from './options.js';

/** The `asrq bench` options that spread a run over cores and machines. */
export interface ScaleFlags {
  shard?: ShardSpec;
  jobs?: number;
  threads: number;
}

function shardOption(value: string): ShardSpec {
  try {
    return parseShard(value);
  } catch (error) {
    if (AsrqError.isInstance(error)) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/**
 * Adds `--jobs` and `--shard` to `asrq bench`.
 * @param command - The bench command.
 * @returns The command.
 */
export function addScaleOptions(command: Command): Command {
  return command
    .option('--jobs <count>', 'worker processes, one intra-op thread each, each on a slice of the utterances (for WER/throughput runs: RTF is then throughput per core; keep the default 1 for speedup claims)', integer(1), 1)
    .option('--shard <i/n>', 'run only slice i of n of the utterances (1-based, deterministic); join the slices with asrq bench merge', shardOption);
}

/**
 * The config fields the scale flags set.
 * @param flags - Parsed options.
 * @returns `shard` and `jobs` (only when above 1) for the BenchConfig.
 * @throws AsrqError `CLI_USAGE` for --jobs above 1 with --threads above 1.
 */
export function scaleConfig(flags: ScaleFlags): Pick<BenchConfig, 'shard' | 'jobs'> {
  const jobs = flags.jobs ?? 1;
  if (jobs > 1 && flags.threads !== 1) {
    throw usageError(`--jobs ${jobs} runs ${jobs} processes of one intra-op thread each, so --threads ${flags.threads} cannot apply. Use --jobs for throughput on all cores, or --threads for one multi-threaded process.`);
  }
  return { ...(flags.shard ? { shard: flags.shard } : {}), ...(jobs > 1 ? { jobs } : {}) };
}
