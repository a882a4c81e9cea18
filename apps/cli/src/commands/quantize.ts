import { resolve } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { defaultModelPath } from '@asrq/fixtures';
import { formatQuantizeReport, quantizeModelFile, type QuantizeProgress } from '@asrq/quantize';
import { calibrationFeeds, checkModelCompanions } from '@asrq/runtime';
import type { Command } from 'commander';
import { addCommand } from '../options/spec.js';
import { modelOverrides } from '../options/model.js';
import { planFrom } from '../options/plan.js';
import { createProgressBar, note, print, type OutputMode, type ProgressBar } from '../output.js';
import { withAbort } from '../signals.js';
import { runAutoPlan } from './auto-plan.js';
import { quantizeOptions, type QuantizeFlags } from '../options/quantize.js';
import { CliError } from '../errors.js';

/** Registers `asrq quantize`. */
export function registerQuantize(program: Command): void {
  addCommand(
    program,
    {
      name: 'quantize',
      description:
        'Quantize an ONNX model to int8 by module path: dynamic, static (calibrated) or float per module, then validate it',
      arguments: [{ name: '[model]', description: 'float ONNX model (default: the bundled model)' }],
      options: quantizeOptions,
    },
    async (model, flags, self) => {
      const input = resolve(model ?? defaultModelPath);
      if (flags.auto) {
        if (flags.plan || flags.dynamic?.length || flags.static?.length || flags.exclude?.length) {
          throw new CliError(
            'CLI_USAGE',
            '--auto chooses the rules itself: drop --plan/--dynamic/--static/--exclude, or drop --auto.',
          );
        }
        if (flags.resume && flags.force)
          throw new CliError(
            'CLI_USAGE',
            '--resume continues the earlier search and --force drops it: give one of them.',
          );
        await runAutoPlan(input, flags);
        return;
      }
      if (flags.resume || flags.force)
        throw new CliError('CLI_USAGE', `--${flags.resume ? 'resume' : 'force'} only applies to --auto.`);
      if (flags.maxSize !== undefined)
        throw new CliError(
          'CLI_USAGE',
          '--max-size only applies to --auto; a plan file sets 4-bit weights itself ("weights": "int4" in a dynamic rule).',
        );
      await runQuantize(input, flags, self);
    },
  );
}

async function runQuantize(input: string, flags: QuantizeFlags, self: Command): Promise<void> {
  const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
  const plan = await planFrom(flags, self);
  const needsCalibration = plan.rules.some((r) => r.mode === 'static');
  if (needsCalibration && !flags.calib) {
    throw new CliError(
      'CLI_USAGE',
      'Static rules need calibration audio: pass --calib <corpus dir or manifest> (the tutorial uses 10 random utterances of the dev set).',
    );
  }
  // quantizeModelFile copies these beside the output once it is written.
  const companions = await checkModelCompanions(input, resolve(flags.output));
  const n = plan.calibration?.n ?? flags.calibN;
  const seed = plan.calibration?.seed ?? flags.seed;
  const overrides = modelOverrides(flags);
  const inputs = flags.calib
    ? await calibrationFeeds(input, flags.calib, { n, seed, ...(overrides ? { overrides } : {}) })
    : undefined;
  const validation = flags.validateWith
    ? await calibrationFeeds(input, flags.validateWith, { n: 1, seed: 0, ...(overrides ? { overrides } : {}) })
    : inputs;
  if (inputs) note(mode, `calibration: ${inputs.items.length} utterances (seed ${seed}) from ${flags.calib}`);
  const bar = createProgressBar(mode);
  const report = await withAbort(
    async (signal) => {
      const result = await quantizeModelFile(input, resolve(flags.output), plan, {
        ...(needsCalibration && inputs?.calibration ? { calibration: inputs.calibration } : {}),
        ...(validation ? { validateWith: validation.sample } : {}),
        ...(flags.externalDataThreshold === undefined ? {} : { externalDataThreshold: flags.externalDataThreshold }),
        ...(flags.opset === undefined ? {} : { opset: flags.opset }),
        ...(flags.allowEmpty ? { allowEmpty: true } : {}),
        signal,
        onProgress: quantizeProgress(bar, mode, n),
      });
      // A Ctrl-C during the last step must not pass for success.
      throwIfAborted(signal);
      return result;
    },
    () => {
      bar.stop();
      note(mode, `\ninterrupted: nothing was written to ${flags.output} (it is written atomically, at the end).`);
    },
  );
  bar.stop();
  const tokenizer = companions.find((c) => c.kind === 'tokenizer');
  if (tokenizer) note(mode, `copied ${tokenizer.from} beside the output, so transcribe and bench find it`);
  if (!validation)
    note(
      mode,
      'no --calib or --validate-with corpus: the output was checked to load and run, but no SQNR was measured.',
    );
  print(flags.json ? JSON.stringify({ ...report, nodes: undefined }) : formatQuantizeReport(report));
}

/** Renders quantization progress: bars for calibrating and quantizing, a line per other stage. */
function quantizeProgress(bar: ProgressBar, mode: OutputMode, calibrationN: number): (e: QuantizeProgress) => void {
  return (e) => {
    if (e.status === 'calibrating') {
      if (e.done === 0) bar.start(e.total ?? calibrationN, 'calibrating');
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
  };
}
