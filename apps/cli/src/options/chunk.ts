import { AsrqError } from '@asrq/core';
import { chunkSamples, type ChunkOptions } from '@asrq/runtime';
import { type Command, InvalidArgumentError } from 'commander';
import { addOptions, defineSettingsOptions, settingsOf, type FlagsOf } from './spec.js';
import { bounded } from './parsers.js';
import { usageError } from '../exit-codes.js';
import { cliMessage } from '../flag-hints.js';

/** Longest window: a transformer's attention over more than a few minutes of frames takes gigabytes. */
export const MAX_CHUNK_SEC = 600;
/** Longest context on each side of a window. */
export const MAX_STRIDE_SEC = 120;

const windowSeconds = bounded(
  (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0 || parsed > MAX_CHUNK_SEC)
      throw new InvalidArgumentError(
        `expected a number of seconds above 0 and at most ${MAX_CHUNK_SEC}, got "${value}" (audio is always cut into windows: without them a long file would need gigabytes).`,
      );
    return parsed;
  },
  { min: 0, max: MAX_CHUNK_SEC, minExclusive: true },
);

const strideSeconds = bounded(
  (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > MAX_STRIDE_SEC)
      throw new InvalidArgumentError(`expected a number of seconds from 0 to ${MAX_STRIDE_SEC}, got "${value}".`);
    return parsed;
  },
  { min: 0, max: MAX_STRIDE_SEC },
);

/**
 * `--chunk-sec` and `--stride-sec`: how audio longer than the model can take at once is cut
 * into overlapping windows (see `forwardLong` in @asrq/runtime).
 */
export const chunkOptionSpecs = defineSettingsOptions<ChunkOptions>()({
  chunkSec: {
    flags: '--chunk-sec <seconds>',
    description:
      'audio longer than chunk + 2 x stride runs in windows of this length, stitched by frame (default 30, at most 600)',
    parse: windowSeconds,
  },
  strideSec: {
    flags: '--stride-sec <seconds>',
    description: 'context on each side of a window, dropped from its output (default 5, at most 120)',
    parse: strideSeconds,
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
  const options: ChunkOptions = settingsOf(chunkOptionSpecs, flags);
  try {
    chunkSamples(options, 16000);
  } catch (error) {
    if (AsrqError.isInstance(error) && error.code === 'RUNTIME_BAD_CHUNKING') throw usageError(cliMessage(error));
    throw error;
  }
  return options;
}
