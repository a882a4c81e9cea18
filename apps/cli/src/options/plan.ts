import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  parsePlan,
  PLAN_CALIBRATORS,
  PLAN_DEFAULTS,
  PLAN_DYNAMIC_FORMATS,
  planFromFlags,
  withPlanOverrides,
  type PlanFlags,
  type PlanOverrides,
  type QuantPlan,
} from '@asrq/quantize';
import type { Command } from 'commander';
import { defineOptions, defineSettingsOptions, settingsOf, type FlagsOf } from './spec.js';
import type { ModelOverrideFlags } from './model.js';
import { decimal, integer, LIMITS } from './parsers.js';
import { CliError } from '../errors.js';

/** The rules and quantization settings, named after and typed against quantize's `PlanFlags`. */
const ruleSettings = defineSettingsOptions<PlanFlags>()({
  dynamic: {
    flags: '--dynamic <module>',
    description: 'quantize this module path prefix (or glob) dynamically; repeatable',
    repeatable: true,
  },
  static: {
    flags: '--static <module>',
    description: 'quantize this module statically (QDQ, calibrated); repeatable',
    repeatable: true,
  },
  exclude: {
    flags: '--exclude <module>',
    description: 'leave this module in float; repeatable (wins over --dynamic/--static)',
    repeatable: true,
  },
  perChannel: {
    flags: '--no-per-channel',
    description: 'one weight scale per tensor instead of one per output channel (the default), for every rule',
  },
  calibrator: { flags: '--calibrator <kind>', description: 'static range calibrator', choices: PLAN_CALIBRATORS },
  percentile: {
    flags: '--percentile <p>',
    description: `percentile of the percentile calibrator (default ${PLAN_DEFAULTS.percentile})`,
    parse: decimal(50, 100, { minExclusive: true }),
  },
});

/** The calibration selection and operator format, typed against quantize's `PlanFlags`. */
const calibrationSettings = defineSettingsOptions<PlanFlags>()({
  calibN: {
    flags: '--calib-n <count>',
    description:
      "calibration utterances, picked at random with --seed (when given, wins over the plan file's calibration.n)",
    parse: integer(1, LIMITS.utterances),
    default: PLAN_DEFAULTS.calibrationN,
  },
  seed: {
    flags: '--seed <int>',
    description: "seed for picking calibration utterances (when given, wins over the plan file's calibration.seed)",
    parse: integer(0, LIMITS.seed),
    default: PLAN_DEFAULTS.calibrationSeed,
  },
  dynamicFormat: {
    flags: '--dynamic-format <op>',
    description: `dynamic operator pattern: MatMulInteger (the chain onnxruntime fuses at load) or DynamicQuantizeMatMul (the fused com.microsoft op); default ${PLAN_DEFAULTS.dynamicFormat}`,
    choices: PLAN_DYNAMIC_FORMATS,
  },
  dynamicConv: {
    flags: '--dynamic-conv',
    description: 'also quantize Conv in dynamic rules (ConvInteger, often slower)',
  },
});

/** The plan-shaping options `quantize` and `sensitivity` share. */
export const planOptions = defineOptions({
  plan: {
    flags: '--plan <file>',
    description:
      "plan file (.json is read as JSON, anything else as YAML): rules { select, mode: dynamic|static|float }, last match wins; options given on the command line win over the file's settings",
  },
  ...ruleSettings,
  calib: {
    flags: '--calib <corpus>',
    description: 'calibration corpus (LibriSpeech directory or JSONL manifest); needed by static rules',
  },
  ...calibrationSettings,
});

/** Plan-shaping flags shared by `quantize` and `sensitivity`. */
export type PlanOptionFlags = FlagsOf<typeof planOptions> & ModelOverrideFlags;

/**
 * The plan given by --plan, or built from --dynamic/--static/--exclude. With --plan, the options
 * typed on the command line (--calib-n, --seed, --calibrator, --percentile, --dynamic-format,
 * --no-per-channel) win over the plan file's settings; defaults never do.
 * @param flags - Parsed options.
 * @param command - The command, to tell typed --calib-n/--seed from their defaults (without it, the plan file's values stay).
 * @returns The validated plan.
 * @throws AsrqError `CLI_USAGE` for --plan with rule flags or --dynamic-conv, `CLI_FILE_NOT_FOUND` for an unreadable plan file.
 */
export async function planFrom(flags: PlanOptionFlags, command?: Command): Promise<QuantPlan> {
  if (flags.plan) {
    if (flags.dynamic?.length || flags.static?.length || flags.exclude?.length) {
      throw new CliError(
        'CLI_USAGE',
        'Give either --plan or --dynamic/--static/--exclude, not both (put the rules in the plan file).',
      );
    }
    if (flags.dynamicConv)
      throw new CliError(
        'CLI_USAGE',
        '--dynamic-conv only shapes rules built from --dynamic; with --plan, list "Conv" in the rule\'s ops instead.',
      );
    const text = await readFile(resolve(flags.plan), 'utf8').catch((cause: unknown) => {
      throw new CliError('CLI_FILE_NOT_FOUND', `Cannot read plan ${flags.plan}: ${(cause as Error).message}.`, {
        cause,
      });
    });
    return withPlanOverrides(parsePlan(text, { name: flags.plan }), explicitOverrides(flags, command));
  }
  return planFromFlags({ ...settingsOf(ruleSettings, flags), ...settingsOf(calibrationSettings, flags) });
}

function explicitOverrides(flags: PlanOptionFlags, command: Command | undefined): PlanOverrides {
  const typed = (key: string): boolean => command?.getOptionValueSource(key) === 'cli';
  const overrides: PlanOverrides = {};
  if (typed('calibN')) overrides.calibN = flags.calibN;
  if (typed('seed')) overrides.seed = flags.seed;
  if (flags.percentile !== undefined) overrides.percentile = flags.percentile;
  if (flags.calibrator !== undefined) overrides.calibrator = flags.calibrator;
  if (flags.dynamicFormat !== undefined) overrides.dynamicFormat = flags.dynamicFormat;
  if (flags.perChannel === false) overrides.perChannel = false;
  return overrides;
}
