import type { ModelInfoOverrides } from '@asrq/runtime';
import type { Command } from 'commander';
import { integer } from './options.js';

/** Flags that override what asrq discovers about a model's interface: the fields of `ModelInfoOverrides`. */
export type ModelOverrideFlags = ModelInfoOverrides;

/**
 * Adds the interface-override options (for exports whose tensor names or metadata asrq does not recognise).
 * @param command - The command.
 * @returns The command.
 */
export function addModelOverrideOptions(command: Command): Command {
  return command
    .option('--audio-input <name>', 'model input that takes float32 [batch, samples] audio (default: discovered)')
    .option('--lengths-input <name>', 'model input that takes int64 [batch] valid sample counts (default: discovered)')
    .option('--scores-output <name>', 'model output with [batch, frames, vocab] log-probs or logits (default: discovered)')
    .option('--lengths-output <name>', 'model output with int64 [batch] valid frame counts (default: discovered)')
    .option('--sample-rate <hz>', 'sample rate the model expects (default: metadata sample_rate, else 16000)', integer(1))
    .option('--blank-id <id>', 'CTC blank token id (default: metadata blank_id, else 0)', integer(0));
}

/**
 * The overrides given on the command line, or undefined when none.
 * @param flags - Parsed options.
 * @returns Overrides for `CtcModel.load`.
 */
export function modelOverrides(flags: ModelOverrideFlags): ModelInfoOverrides | undefined {
  const overrides: ModelInfoOverrides = {};
  if (flags.audioInput) overrides.audioInput = flags.audioInput;
  if (flags.lengthsInput) overrides.lengthsInput = flags.lengthsInput;
  if (flags.scoresOutput) overrides.scoresOutput = flags.scoresOutput;
  if (flags.lengthsOutput) overrides.lengthsOutput = flags.lengthsOutput;
  if (flags.sampleRate !== undefined) overrides.sampleRate = flags.sampleRate;
  if (flags.blankId !== undefined) overrides.blankId = flags.blankId;
  return Object.keys(overrides).length > 0 ? overrides : undefined;
}
