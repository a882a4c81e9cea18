import type { BenchConfig, BenchSettings, ShardSpec } from '@asrq/bench';
import { BENCH_DEFAULTS, parseShard } from '@asrq/bench';
import { AsrqError } from '@asrq/core';
import { InvalidArgumentError } from 'commander';
import { defineSettingsOptions, type FlagsOf } from './spec.js';
import { usageError } from '../exit-codes.js';
import { cliMessage } from '../flag-hints.js';
import { bounded, integer, LIMITS } from './parsers.js';

const shardOption = bounded(
  (value: string): ShardSpec => {
    let shard: ShardSpec;
    try {
      shard = parseShard(value);
    } catch (error) {
      if (AsrqError.isInstance(error)) throw new InvalidArgumentError(cliMessage(error));
      throw error;
    }
    if (shard.count > LIMITS.utterances)
      throw new InvalidArgumentError(`expected at most ${LIMITS.utterances} slices, got "${value}".`);
    return shard;
  },
  { min: 1, max: LIMITS.utterances },
);

/** `--jobs` and `--shard`: the `asrq bench` options that spread a run over cores and machines. */
export const scaleOptions = defineSettingsOptions<BenchSettings>()({
  jobs: {
    flags: '--jobs <count>',
    description:
      'worker processes, one intra-op thread each, each on a slice of the utterances (for WER/throughput runs: RTF is then throughput per core; keep the default 1 for speedup claims)',
    parse: integer(1, LIMITS.threads),
    default: BENCH_DEFAULTS.jobs,
  },
  shard: {
    flags: '--shard <i/n>',
    description:
      'run only slice i of n of the utterances (1-based, deterministic); join the slices with asrq bench merge',
    parse: shardOption,
  },
});

/** The scale flags, with the (largest) thread count they must agree with. */
export type ScaleFlags = Partial<FlagsOf<typeof scaleOptions>> & { threads: number };

/**
 * The config fields the scale flags set.
 * @param flags - Parsed options.
 * @returns `shard` and `jobs` (only when above 1) for the BenchConfig.
 * @throws AsrqError `CLI_USAGE` for --jobs above 1 with --threads above 1.
 */
export function scaleConfig(flags: ScaleFlags): Pick<BenchConfig, 'shard' | 'jobs'> {
  const jobs = flags.jobs ?? 1;
  if (jobs > 1 && flags.threads !== 1) {
    throw usageError(
      `--jobs ${jobs} runs ${jobs} processes of one intra-op thread each, so --threads ${flags.threads} cannot apply. Use --jobs for throughput on all cores, or --threads for one multi-threaded process.`,
    );
  }
  return { ...(flags.shard ? { shard: flags.shard } : {}), ...(jobs > 1 ? { jobs } : {}) };
}
