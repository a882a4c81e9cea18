import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorCode, parseStructuredText } from '@asrq/core';
import { frontEndNames } from '@asrq/frontend';
import type { FeaturesLayout, ModelInfoOverrides } from '@asrq/runtime';
import { defineOptions, type FlagsOf } from './spec.js';
import { integer, LIMITS } from './parsers.js';
import { CliError } from '../errors.js';

/**
 * The interface-override options (for exports whose tensor names or metadata asrq does not
 * recognise) and the front-end options, shared by every command that loads a model.
 */
export const modelOverrideOptions = defineOptions({
  audioInput: {
    flags: '--audio-input <name>',
    description:
      'model input that takes float32 [batch, samples] audio or [batch, frames, dim] features (default: discovered)',
  },
  lengthsInput: {
    flags: '--lengths-input <name>',
    description: 'model input that takes int64 [batch] valid sample or frame counts (default: discovered)',
  },
  scoresOutput: {
    flags: '--scores-output <name>',
    description: 'model output with [batch, frames, vocab] log-probs or logits (default: discovered)',
  },
  lengthsOutput: {
    flags: '--lengths-output <name>',
    description: 'model output with int64 [batch] valid frame counts (default: discovered)',
  },
  sampleRate: {
    flags: '--sample-rate <hz>',
    description: "sample rate the model expects (default: metadata sample_rate, else the front end's, else 16000)",
    parse: integer(LIMITS.sampleRate.min, LIMITS.sampleRate.max),
  },
  blankId: {
    flags: '--blank-id <id>',
    description:
      "CTC blank token id (default: metadata blank_id, else the family's convention, else the tokenizer's blank token, else 0)",
    parse: integer(0, 10_000_000),
  },
  frontend: {
    flags: '--frontend <name>',
    description:
      'front end turning audio into the model input (default: read from preprocessor_config.json, model_config.yaml or sherpa-onnx metadata; raw for waveform models)',
    choices: frontEndNames(),
  },
  frontendConfig: {
    flags: '--frontend-config <file>',
    description:
      'JSON or YAML file with front-end settings, merged over the discovered ones (keys as `asrq features --list` shows)',
  },
  featuresLayout: {
    flags: '--features-layout <order>',
    description:
      'axis order of a features input whose shape does not tell: btf = [batch, frames, dim], bft = [batch, dim, frames]',
    choices: ['btf', 'bft'],
  },
});

/** Flags that override what asrq discovers about a model's interface and front end. */
export type ModelOverrideFlags = FlagsOf<typeof modelOverrideOptions>;

function readFrontEndConfig(file: string): Record<string, unknown> {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      'CLI_BAD_FRONTEND_CONFIG',
      `Cannot read --frontend-config ${file}: ${(error as Error).message}.`,
      { cause: error, location: path },
    );
  }
  const parsed = parseStructuredText(
    text,
    path,
    errorCode(CliError, 'CLI_BAD_FRONTEND_CONFIG'),
    'Fix the --frontend-config file.',
  );
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(
      'CLI_BAD_FRONTEND_CONFIG',
      `--frontend-config ${file} must hold a mapping of front-end settings, e.g. {"numMelBins": 80}.`,
      { location: path },
    );
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
      ...(flags.frontendConfig
        ? { config: readFrontEndConfig(flags.frontendConfig), source: `--frontend-config ${flags.frontendConfig}` }
        : {}),
    };
  }
  return Object.keys(overrides).length > 0 ? overrides : undefined;
}
