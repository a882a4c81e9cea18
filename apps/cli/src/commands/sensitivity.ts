import { resolve } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { defaultModelPath } from '@asrq/fixtures';
import { formatSensitivityReport, sensitivityReport } from '@asrq/quantize';
import { calibrationFeeds } from '@asrq/runtime';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../options/spec.js';
import { createWerEvaluator } from '@asrq/bench';
import { integer, LIMITS } from '../options/parsers.js';
import { note, print, type OutputMode } from '../output.js';
import { withAbort } from '../signals.js';
import { modelOverrideOptions, modelOverrides } from '../options/model.js';
import { planFrom, planOptions } from '../options/plan.js';
import { CliError } from '../errors.js';

/** Every option of `asrq sensitivity`, in help order. */
export const sensitivityOptions = defineOptions({
  ...planOptions,
  eval: { flags: '--eval <corpus>', description: 'also measure greedy WER per module on this corpus (slower)' },
  evalN: {
    flags: '--eval-n <count>',
    description: 'utterances of --eval to score',
    parse: integer(1, LIMITS.utterances),
    default: 40,
  },
  depth: {
    flags: '--depth <segments>',
    description: 'group nodes by the first N segments of their module path',
    parse: integer(1, 1000),
  },
  tokenizer: { flags: '--tokenizer <path>', description: 'tokenizer for --eval (default: beside the model)' },
  json: { flags: '--json', description: 'print the report as JSON' },
  quiet: { flags: '--quiet', description: 'no progress output' },
  ...modelOverrideOptions,
});

/** Registers `asrq sensitivity`. */
export function registerSensitivity(program: Command): void {
  addCommand(
    program,
    {
      name: 'sensitivity',
      description:
        'Quantize one module at a time and report the output SQNR (and, with --eval, the WER change) per module, to find the fragile ones',
      arguments: [{ name: '[model]', description: 'float ONNX model (default: the bundled model)' }],
      options: sensitivityOptions,
    },
    async (model, flags) => {
      const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
      const input = resolve(model ?? defaultModelPath);
      const plan = await planFrom(flags);
      const corpus = flags.calib ?? flags.eval;
      if (!corpus)
        throw new CliError(
          'CLI_USAGE',
          'Pass --calib <corpus> (calibration and the SQNR sample come from it) or --eval <corpus>.',
        );
      const overrides = modelOverrides(flags);
      const inputs = await calibrationFeeds(input, corpus, {
        n: flags.calibN,
        seed: flags.seed,
        ...(overrides ? { overrides } : {}),
      });
      const evaluate = flags.eval
        ? await createWerEvaluator(input, flags.eval, {
            n: flags.evalN,
            ...(flags.tokenizer ? { tokenizer: flags.tokenizer } : {}),
            ...(overrides ? { overrides } : {}),
          })
        : undefined;
      const report = await withAbort(
        async (signal) => {
          const result = await sensitivityReport(input, plan, {
            sample: inputs.sample,
            ...(inputs.calibration ? { calibration: inputs.calibration } : {}),
            ...(evaluate ? { evaluate, metricName: 'WER %' } : {}),
            ...(flags.depth === undefined ? {} : { depth: flags.depth }),
            signal,
            onProgress: (e) => {
              if (e.status === 'module') note(mode, `${e.done}/${e.total} ${e.module}`);
            },
          });
          throwIfAborted(signal);
          return result;
        },
        () => note(mode, '\ninterrupted: no report was produced.'),
      );
      print(flags.json ? JSON.stringify(report) : formatSensitivityReport(report));
    },
  );
}
