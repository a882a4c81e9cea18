import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { defaultModelPath } from '@asrq/fixtures';
import { formatQuantizeReport, parsePlan, planFromFlags, quantizeModelFile, withPlanOverrides, type PlanOverrides, type QuantPlan } from '@asrq/quantize';
import type { Command } from 'commander';
import { prepareModelInputs } from '../calibration.js';
import { addModelOverrideOptions, modelOverrides, type ModelOverrideFlags } from '../model-options.js';
import { collect, decimal, duration, integer } from '../options.js';
import { createProgressBar, note, print, type OutputMode } from '../output.js';
import { withAbort } from '../signals.js';
import { copyTokenizerBeside } from '../tokenizer-copy.js';
import { runAutoPlan } from './auto-plan.js';
import { CliError } from '../errors.js';

/** Plan-shaping flags shared by `quantize` and `sensitivity`. */
export interface PlanOptionFlags extends ModelOverrideFlags {
  plan?: string;
  dynamic?: string[];
  static?: string[];
  exclude?: string[];
  perChannel?: boolean;
  calibrator?: string;
  percentile?: number;
  calibN: number;
  seed: number;
  dynamicFormat?: string;
  dynamicConv?: boolean;
}

/**
 * The plan given by --plan, or built from --dynamic/--static/--exclude. With --plan, the options
 * typed on the command line (--calib-n, --seed, --calibrator, --percentile, --dynamic-format,
 * --no-per-channel) win over the plan file's settings; defaults never do.
 * @param flags - Parsed options.
 * @param command - The command, to tell typed --calib-n/--seed from their defaults (without it, the plan file's values stay).
 * @returns The validated plan.
 */
export async function planFrom(flags: PlanOptionFlags, command?: Command): Promise<QuantPlan> {
  if (flags.plan) {
    if (flags.dynamic?.length || flags.static?.length || flags.exclude?.length) {
      throw new CliError('CLI_USAGE', 'Give either --plan or --dynamic/--static/--exclude, not both (put the rules in the plan file).');
    }
    if (flags.dynamicConv) throw new CliError('CLI_USAGE', '--dynamic-conv only shapes rules built from --dynamic; with --plan, list "Conv" in the rule\'s ops instead.');
    const text = await readFile(resolve(flags.plan), 'utf8').catch((cause: unknown) => {
      throw new CliError('CLI_FILE_NOT_FOUND', `Cannot read plan ${flags.plan}: ${(cause as Error).message}.`, { cause });
    });
    return withPlanOverrides(parsePlan(text, { name: flags.plan }), explicitOverrides(flags, command));
  }
  return planFromFlags({
    dynamic: flags.dynamic ?? [],
    static: flags.static ?? [],
    exclude: flags.exclude ?? [],
    calibN: flags.calibN,
    seed: flags.seed,
    ...(flags.perChannel === undefined ? {} : { perChannel: flags.perChannel }),
    ...(flags.calibrator === undefined ? {} : { calibrator: flags.calibrator }),
    ...(flags.percentile === undefined ? {} : { percentile: flags.percentile }),
    ...(flags.dynamicFormat === undefined ? {} : { dynamicFormat: flags.dynamicFormat }),
    ...(flags.dynamicConv ? { dynamicConv: true } : {}),
  });
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

/** Adds the plan options to a command. */
export function addPlanOptions(command: Command): Command {
  return command
    .option('--plan <file>', 'plan file (.json is read as JSON, anything else as YAML): rules { select, mode: dynamic|static|float }, last match wins; options given on the command line win over the file\'s settings')
    .option('--dynamic <module>', 'quantize this module path prefix (or glob) dynamically; repeatable', collect)
    .option('--static <module>', 'quantize this module statically (QDQ, calibrated); repeatable', collect)
    .option('--exclude <module>', 'leave this module in float; repeatable (wins over --dynamic/--static)', collect)
    .option('--no-per-channel', 'one weight scale per tensor instead of one per output channel (the default), for every rule')
    .option('--calibrator <kind>', 'static range calibrator: minmax, percentile or entropy')
    .option('--percentile <p>', 'percentile of the percentile calibrator (default 99.999)', decimal())
    .option('--calib <corpus>', 'calibration corpus (LibriSpeech directory or JSONL manifest); needed by static rules')
    .option('--calib-n <count>', 'calibration utterances, picked at random with --seed (when given, wins over the plan file\'s calibration.n)', integer(1), 10)
    .option('--seed <int>', 'seed for picking calibration utterances (when given, wins over the plan file\'s calibration.seed)', integer(0), 0)
    .option('--dynamic-format <op>', 'dynamic operator pattern: MatMulInteger (default: the chain onnxruntime fuses at load) or DynamicQuantizeMatMul (the fused com.microsoft op)')
    .option('--dynamic-conv', 'also quantize Conv in dynamic rules (ConvInteger, often slower)');
}

/** Registers `asrq quantize`. */
export function registerQuantize(program: Command): void {
  const command = addPlanOptions(
    program
      .command('quantize')
      .description('Quantize an ONNX model to int8 by module path: dynamic, static (calibrated) or float per module, then validate it')
      .argument('[model]', 'float ONNX model (default: the bundled model)')
      .requiredOption('-o, --output <file>', 'where to write the quantized model (never the input; written atomically)'),
  )
    .option('--validate-with <corpus>', 'corpus whose first utterance validates the output (default: the calibration corpus)')
    .option('--allow-empty', 'write the output even when the plan quantizes no node (otherwise an error, exit 4)')
    .option('--external-data-threshold <bytes>', 'store initializers of at least this size in <output>.data', integer(1))
    .option('--auto', 'search for the fastest plan within --max-wer-increase on --eval (writes the model, <output>.plan.json and a report)')
    .option('--eval <corpus>', 'with --auto: corpus the WER budget is checked on')
    .option('--eval-n <count>', 'with --auto: utterances of --eval to use', integer(1), 100)
    .option('--max-wer-increase <points>', 'with --auto: largest accepted WER increase over float, absolute percentage points', decimal(), 0.3)
    .option('--metric <kind>', 'with --auto: accept plans by real WER (wer) or by output SQNR only (sqnr, faster)', 'wer')
    .option('--min-sqnr <dB>', 'with --auto --metric sqnr: smallest accepted output SQNR', decimal())
    .option('--budget <time>', 'with --auto: stop searching after this long (e.g. 90s, 20m, 1h) and keep the best plan so far', duration(), 1200)
    .option('--max-trials <count>', 'with --auto: most candidate plans to confirm with a benchmark', integer(1))
    .option('--resume', 'with --auto: continue an interrupted search from <output>.auto/')
    .option('--tokenizer <path>', 'with --auto: tokenizer (default: beside the model)')
    .option('--json', 'print the report as JSON')
    .option('--quiet', 'no progress output');
  addModelOverrideOptions(command).action(async (model: string | undefined, flags: PlanOptionFlags & { output: string; calib?: string; validateWith?: string; externalDataThreshold?: number; allowEmpty?: boolean; json?: boolean; quiet?: boolean; auto?: boolean; eval?: string; evalN: number; maxWerIncrease: number; metric: string; minSqnr?: number; budget: number; maxTrials?: number; resume?: boolean; tokenizer?: string }, self: Command) => {
      const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
      const input = resolve(model ?? defaultModelPath);
      if (flags.auto) {
        if (flags.plan || flags.dynamic?.length || flags.static?.length || flags.exclude?.length) {
          throw new CliError('CLI_USAGE', '--auto chooses the rules itself: drop --plan/--dynamic/--static/--exclude, or drop --auto.');
        }
        await runAutoPlan(input, flags);
        return;
      }
      const plan = await planFrom(flags, self);
      const needsCalibration = plan.rules.some((r) => r.mode === 'static');
      if (needsCalibration && !flags.calib) {
        throw new CliError('CLI_USAGE', 'Static rules need calibration audio: pass --calib <corpus dir or manifest> (the tutorial uses 10 random utterances of the dev set).');
      }
      const n = plan.calibration?.n ?? flags.calibN;
      const seed = plan.calibration?.seed ?? flags.seed;
      const overrides = modelOverrides(flags);
      const inputs = flags.calib ? await prepareModelInputs(input, flags.calib, { n, seed, ...(overrides ? { overrides } : {}) }) : undefined;
      const validation = flags.validateWith ? await prepareModelInputs(input, flags.validateWith, { n: 1, seed: 0, ...(overrides ? { overrides } : {}) }) : inputs;
      if (inputs) note(mode, `calibration: ${inputs.calibrationItems.length} utterances (seed ${seed}) from ${flags.calib}`);
      const bar = createProgressBar(mode);
      const report = await withAbort(async (signal) => {
        const result = await quantizeModelFile(input, resolve(flags.output), plan, {
          ...(needsCalibration && inputs?.calibration ? { calibration: inputs.calibration } : {}),
          ...(validation ? { validateWith: validation.sample } : {}),
          ...(flags.externalDataThreshold === undefined ? {} : { externalDataThreshold: flags.externalDataThreshold }),
          ...(flags.allowEmpty ? { allowEmpty: true } : {}),
          signal,
          onProgress: (e) => {
            if (e.status === 'calibrating') {
              if (e.done === 0) bar.start(e.total ?? n, 'calibrating');
              bar.update(e.done);
            } else if (e.status === 'quantizing') {
              if (e.done === 0) bar.start(e.total, 'quantizing ');
              bar.update(e.done);
            } else {
              bar.stop();
              if (e.status === 'reading') note(mode, `reading ${e.path}`);
              else if (e.status === 'writing') note(mode, `writing ${e.path}`);
              else if (e.status === 'validating') note(mode, 'validating: running the output next to the float model');
            }
          },
        });
        // A Ctrl-C during the last step must not pass for success.
        throwIfAborted(signal);
        return result;
      }, () => {
        bar.stop();
        note(mode, `\ninterrupted: nothing was written to ${flags.output} (it is written atomically, at the end).`);
      });
      bar.stop();
      const tokenizer = await copyTokenizerBeside(input, resolve(flags.output));
      if (tokenizer) note(mode, `copied ${tokenizer.from} beside the output, so transcribe and bench find it`);
      if (!validation) note(mode, 'no --calib or --validate-with corpus: the output was checked to load and run, but no SQNR was measured.');
      print(flags.json ? JSON.stringify({ ...report, nodes: undefined }) : formatQuantizeReport(report));
    });
}
