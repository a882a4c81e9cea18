import { AsrqError } from '@asrq/core';
import { chunkSamples, type ChunkOptions } from '@asrq/runtime';
import { type Command, InvalidArgumentError } from 'commander';
import { addOptions, defineOptions, type FlagsOf } from './cli-options.js';
import { usageError } from './exit-codes.js';

function seconds(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0)
    throw new InvalidArgumentError(`expected a number of seconds >= 0, got "${value}".`);
  return parsed;
}

/**
 * `--chunk-sec` and `--stride-sec`: how audio longer than the model can take at once is cut
 * into overlapping windows (see `forwardLong` in @asrq/runtime).
 */
export const chunkOptionSpecs = defineOptions({
  chunkSec: {
    flags: '--chunk-sec <seconds>',
    description:
      'audio longer than chunk + 2 x stride runs in windows of this length, stitched by frame; 0 = never (default 30)',
    parse: seconds,
  },
  strideSec: {
    flags: '--stride-sec <seconds>',
    description: 'context on each side of a window, dropped from its output (default 5)',
    parse: seconds,
  },
});

/** The long-audio flags as commander parses them. */
export type ChunkFlags = FlagsOf<typeof chunkOptionSpecs>;

/**
 * Adds {@link chunkOptionSpecs}.
 * @param command - The command.
 * @returns The command.
 */
export function addChunkOptions(command: Command): Command {
  return addOptions(command, chunkOptionSpecs);
}

/**
 * The chunking the flags ask for, with only the given fields set (the library's defaults apply otherwise).
 * @param flags - Parsed options.
 * @returns Options for `Transcriber` / `forwardLong` / the bench config.
 * @throws AsrqError `CLI_USAGE` (exit 2) when the window keeps nothing (`--chunk-sec` <= 2 x `--stride-sec`).
 */
export function chunkOptions(flags: ChunkFlags): ChunkOptions {
  const options: ChunkOptions = {
    ...(flags.chunkSec === undefined ? {} : { chunkSec: flags.chunkSec }),
    ...(flags.strideSec === undefined ? {} : { strideSec: flags.strideSec }),
  };
  try {
    chunkSamples(options, 16000);
  } catch (error) {
    if (AsrqError.isInstance(error) && error.code === 'RUNTIME_BAD_CHUNKING') throw usageError(error.message);
    throw error;
  }
  return options;
}
