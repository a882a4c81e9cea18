import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorCode, parseStructuredText } from '@asrq/core';
import { frontEndNames } from '@asrq/frontend';
import type { FeaturesLayout, ModelInfoOverrides } from '@asrq/runtime';
import { Option, type Command } from 'commander';
import { integer } from './options.js';
import { CliError } from './errors.js';

/** Flags that override what asrq discovers about a model's interface and front end. */
export type ModelOverrideFlags = Omit<ModelInfoOverrides, 'frontEnd' | 'featuresLayout'> & {
  frontend?: string;
  frontendConfig?: string;
  featuresLayout?: 'btf' | 'bft';
};

/**
 * Adds the interface-override options (for exports whose tensor names or metadata asrq does not
 * recognise) and the front-end options.
 * @param command - The command.
 * @returns The command.
 */
export function addModelOverrideOptions(command: Command): Command {
  return command
    .option('--audio-input <name>', 'model input that takes float32 [batch, samples] audio or [batch, frames, dim] features (default: discovered)')
    .option('--lengths-input <name>', 'model input that takes int64 [batch] valid sample or frame counts (default: discovered)')
    .option('--scores-output <name>', 'model output with [batch, frames, vocab] log-probs or logits (default: discovered)')
    .option('--lengths-output <name>', 'model output with int64 [batch] valid frame counts (default: discovered)')
    .option('--sample-rate <hz>', 'sample rate the model expects (default: metadata sample_rate, else the front end\'s, else 16000)', integer(1))
    .option('--blank-id <id>', 'CTC blank token id (default: metadata blank_id, else the family\'s convention, else the tokenizer\'s blank token, else 0)', integer(0))
    .addOption(new Option('--frontend <name>', 'front end turning audio into the model input (default: read from preprocessor_config.json, model_config.yaml or sherpa-onnx metadata; raw for waveform models)').choices(frontEndNames()))
    .option('--frontend-config <file>', 'JSON or YAML file with front-end settings, merged over the discovered ones (keys as `asrq features --list` shows)')
    .addOption(new Option('--features-layout <order>', 'axis order of a features input whose shape does not tell: btf = [batch, frames, dim], bft = [batch, dim, frames]').choices(['btf', 'bft']));
}

function readFrontEndConfig(file: string): Record<string, unknown> {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError('CLI_BAD_FRONTEND_CONFIG', `Cannot read --frontend-config ${file}: ${(error as Error).message}.`, { cause: error, location: path });
  }
  const parsed = parseStructuredText(text, path, errorCode(CliError, 'CLI_BAD_FRONTEND_CONFIG'), 'Fix the --frontend-config file.');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError('CLI_BAD_FRONTEND_CONFIG', `--frontend-config ${file} must hold a mapping of front-end settings, e.g. {"numMelBins": 80}.`, { location: path });
  }
  return parsed as Record<string, unknown>;
}

/**
 * The overrides given on the command line, or undefined when none.
 * @param flags - Parsed options.
 * @returns Overrides for `CtcModel.load`.
 * @throws AsrqError `CLI_BAD_FRONTEND_CONFIG` when the --frontend-config file cannot be read or parsed.
 */
export function modelOverrides(flags: ModelOverrideFlags): ModelInfoOverrides | undefined {
  const overrides: ModelInfoOverrides = {};
  if (flags.audioInput) overrides.audioInput = flags.audioInput;
  if (flags.lengthsInput) overrides.lengthsInput = flags.lengthsInput;
  if (flags.scoresOutput) overrides.scoresOutput = flags.scoresOutput;
  if (flags.lengthsOutput) overrides.lengthsOutput = flags.lengthsOutput;
  if (flags.sampleRate !== undefined) overrides.sampleRate = flags.sampleRate;
  if (flags.blankId !== undefined) overrides.blankId = flags.blankId;
  if (flags.featuresLayout) overrides.featuresLayout = flags.featuresLayout.toUpperCase() as FeaturesLayout;
  if (flags.frontend || flags.frontendConfig) {
    overrides.frontEnd = {
      ...(flags.frontend ? { name: flags.frontend } : {}),
      ...(flags.frontendConfig ? { config: readFrontEndConfig(flags.frontendConfig), source: `--frontend-config ${flags.frontendConfig}` } : {}),
    };
  }
  return Object.keys(overrides).length > 0 ? overrides : undefined;
}
