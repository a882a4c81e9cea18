import { PLANNER_DEFAULTS } from '@asrq/planner';
import { defineOptions, type FlagsOf } from './spec.js';
import { modelOverrideOptions } from './model.js';
import { byteSize, decimal, duration, integer, LIMITS } from './parsers.js';
import { planOptions } from './plan.js';

/** The options of `asrq quantize --auto` (the automatic plan search). */
export const autoOptions = defineOptions({
  auto: {
    flags: '--auto',
    description:
      'search for the fastest plan within --max-wer-increase on --eval (writes the model, <output>.plan.json and a report)',
  },
  eval: { flags: '--eval <corpus>', description: 'with --auto: corpus the WER budget is checked on' },
  evalN: {
    flags: '--eval-n <count>',
    description: 'with --auto: utterances of --eval to use',
    parse: integer(1, LIMITS.utterances),
    default: PLANNER_DEFAULTS.evalN,
  },
  maxWerIncrease: {
    flags: '--max-wer-increase <points>',
    description: 'with --auto: largest accepted WER increase over float, absolute percentage points',
    parse: decimal(0, 100),
    default: PLANNER_DEFAULTS.maxWerIncrease,
  },
  metric: {
    flags: '--metric <kind>',
    description: 'with --auto: accept plans by real WER (wer) or by output SQNR only (sqnr, faster)',
    choices: ['wer', 'sqnr'],
    default: PLANNER_DEFAULTS.metric,
  },
  minSqnr: {
    flags: '--min-sqnr <dB>',
    description: `with --auto: smallest accepted output SQNR (default ${PLANNER_DEFAULTS.minSqnrDbBySqnr} with --metric sqnr; ${PLANNER_DEFAULTS.minSqnrDbByWer} with wer, a floor against broken plans)`,
    parse: decimal(0, 150),
  },
  maxSize: {
    flags: '--max-size <size>',
    description:
      'with --auto: largest model file to accept (e.g. 200MB, 1.5GB, 190MiB); lets the search use 4-bit weights where int8 does not fit',
    parse: byteSize(1e12),
  },
  budget: {
    flags: '--budget <time>',
    description: 'with --auto: stop searching after this long (e.g. 90s, 20m, 1h) and keep the best plan so far',
    parse: duration(30 * 86_400),
    default: PLANNER_DEFAULTS.budgetSec,
  },
  maxTrials: {
    flags: '--max-trials <count>',
    description: 'with --auto: most candidate plans to confirm with a benchmark',
    parse: integer(1, 10_000),
  },
  resume: { flags: '--resume', description: 'with --auto: continue an interrupted search from <output>.auto/' },
  force: {
    flags: '--force',
    description:
      'with --auto: start a new search even though <output>.auto/ holds an earlier one (its trials are dropped)',
  },
  tokenizer: { flags: '--tokenizer <path>', description: 'with --auto: tokenizer (default: beside the model)' },
});

/** Every option of `asrq quantize`, in help order. */
export const quantizeOptions = defineOptions({
  output: {
    flags: '-o, --output <file>',
    description: 'where to write the quantized model (never the input; written atomically)',
    required: true,
  },
  ...planOptions,
  validateWith: {
    flags: '--validate-with <corpus>',
    description: 'corpus whose first utterance validates the output (default: the calibration corpus)',
  },
  allowEmpty: {
    flags: '--allow-empty',
    description: 'write the output even when the plan quantizes no node (otherwise an error, exit 4)',
  },
  externalDataThreshold: {
    flags: '--external-data-threshold <bytes>',
    description:
      'store initializers of at least this size in <output>.data (default: external data when the input has it or the output would exceed 2 GB)',
    parse: integer(1, 2 ** 40),
  },
  opset: {
    flags: '--opset <version>',
    description:
      "upgrade the model's ai.onnx opset to this version (11-21) before quantizing, e.g. 13 for per-channel static scales on an opset-11 export (never done without this flag)",
    parse: integer(11, 21),
  },
  ...autoOptions,
  json: { flags: '--json', description: 'print the report as JSON' },
  quiet: { flags: '--quiet', description: 'no progress output' },
  ...modelOverrideOptions,
});

/** The parsed flags of `asrq quantize`. */
export type QuantizeFlags = FlagsOf<typeof quantizeOptions>;
