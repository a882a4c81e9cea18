import { resolve } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { defaultModelPath } from '@asrq/fixtures';
import { formatSensitivityReport, sensitivityReport } from '@asrq/quantize';
import type { Command } from 'commander';
import { prepareModelInputs } from '../calibration.js';
import { createWerEvaluator } from '../evaluate.js';
import { integer } from '../options.js';
import { note, print, type OutputMode } from '../output.js';
import { withAbort } from '../signals.js';
import { addModelOverrideOptions, modelOverrides } from '../model-options.js';
import { addPlanOptions, planFrom, type PlanOptionFlags } from './quantize.js';
import { CliError } from '../errors.js';

/** Registers `asrq sensitivity`. */
export function registerSensitivity(program: Command): void {
  const command = addPlanOptions(
    program
      .command('sensitivity')
      .description('Quantize one module at a time and report the output SQNR (and, with --eval, the WER change) per module, to find the fragile ones')
      .argument('[model]', 'float ONNX model (default: the bundled model)'),
  )
    .option('--eval <corpus>', 'also measure greedy WER per module on this corpus (slower)')
    .option('--eval-n <count>', 'utterances of --eval to score', integer(1), 40)
    .option('--depth <segments>', 'group nodes by the first N segments of their module path', integer(1))
    .option('--tokenizer <path>', 'tokenizer for --eval (default: beside the model)')
    .option('--json', 'print the report as JSON')
    .option('--quiet', 'no progress output');
  addModelOverrideOptions(command).action(async (model: string | undefined, flags: PlanOptionFlags & { calib?: string; eval?: string; evalN: number; depth?: number; tokenizer?: string; json?: boolean; quiet?: boolean }) => {
      const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
      const input = resolve(model ?? defaultModelPath);
      const plan = await planFrom(flags);
      const corpus = flags.calib ?? flags.eval;
      if (!corpus) throw new CliError('CLI_USAGE', 'Pass --calib <corpus> (calibration and the SQNR sample come from it) or --eval <corpus>.');
      const overrides = modelOverrides(flags);
      const inputs = await prepareModelInputs(input, corpus, { n: flags.calibN, seed: flags.seed, ...(overrides ? { overrides } : {}) });
      const evaluate = flags.eval ? await createWerEvaluator(input, flags.eval, { n: flags.evalN, ...(flags.tokenizer ? { tokenizer: flags.tokenizer } : {}), ...(overrides ? { overrides } : {}) }) : undefined;
      const report = await withAbort(async (signal) => {
        const result = await sensitivityReport(input, plan, {
          sample: inputs.sample,
          ...(inputs.calibration ? { calibration: inputs.calibration } : {}),
          ...(evaluate ? { evaluate } : {}),
          ...(flags.depth === undefined ? {} : { depth: flags.depth }),
          signal,
          onProgress: (e) => {
            const event = e as { status: string; module?: string; done?: number; total?: number };
            if (event.module) note(mode, `${event.done ?? ''}${event.total ? `/${event.total}` : ''} ${event.module}`);
          },
        });
        throwIfAborted(signal);
        return result;
      }, () => note(mode, '\ninterrupted: no report was produced.'));
      print(flags.json ? JSON.stringify(report) : formatSensitivityReport(report));
    });
}
