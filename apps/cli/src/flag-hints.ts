import type { AsrqError } from '@asrq/core';

/**
 * The flag of each API argument a library error can name (`AsrqErrorOptions.argument`): library
 * messages name the argument in backticks (`` `tokenizer` ``), and the CLI shows its flag there.
 */
export const flagOfArgument: Readonly<Record<string, string>> = {
  allowEmpty: '--allow-empty',
  baseUrl: '--mirror',
  blankId: '--blank-id',
  budgetSec: '--budget',
  calibration: '--calib',
  chunkSec: '--chunk-sec',
  force: '--force',
  frontEnd: '--frontend',
  'frontEnd.config': '--frontend-config',
  maxSizeBytes: '--max-size',
  maxWerIncrease: '--max-wer-increase',
  md5: '--md5',
  minSqnrDb: '--min-sqnr',
  models: '--model',
  n: '--n',
  opset: '--opset',
  outDir: '--out',
  repeats: '--repeats',
  resume: '--resume',
  sampleRate: '--sample-rate',
  shard: '--shard',
  strideSec: '--stride-sec',
  to: '--to',
  tokenizer: '--tokenizer',
  validateWith: '--validate-with',
  workDir: '--output',
  warmup: '--warmup',
};

/**
 * An error's message as the CLI prints it: each argument the error names (in backticks) replaced
 * by the flag that sets it.
 * @param error - An asrq error.
 * @returns The message with flags.
 * @example
 * ```ts no-run
 * cliMessage(new QuantizeError('QUANT_NEEDS_CALIBRATION', 'Pass calibration data (`calibration`).', { argument: 'calibration' }));
 * // 'Pass calibration data (--calib).'
 * ```
 */
export function cliMessage(error: AsrqError): string {
  let message = error.message;
  for (const name of error.argumentNames ?? []) {
    const flag = flagOfArgument[name];
    if (flag) message = message.replaceAll(`\`${name}\``, flag);
  }
  return message;
}
