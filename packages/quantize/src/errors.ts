import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/quantize`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const quantizeErrorCodes = {
  QUANT_BAD_PLAN: { exit: 'usage', summary: 'A plan file or quantization flag is invalid; names the field.' },
  QUANT_ALREADY_QUANTIZED: {
    exit: 'model',
    summary: 'The model is already quantized and the plan finds nothing left to quantize; names what is quantized.',
  },
  QUANT_NEEDS_CALIBRATION: {
    exit: 'model',
    summary: 'Static rules without calibration data (or calibration that yielded no sample).',
  },
  QUANT_NOTHING_QUANTIZED: { exit: 'model', summary: 'The plan quantizes no node; nothing is written unless allowed.' },
  QUANT_NO_MATCH: { exit: 'model', summary: 'A selector matches no node.' },
  QUANT_NON_FINITE: {
    exit: 'model',
    summary:
      'A model gives NaN or infinite outputs on the validation sample; names the model, output and first bad frame.',
  },
  QUANT_OPSET_TOO_LOW: {
    exit: 'model',
    summary:
      "A rule needs an operator form the model's ai.onnx opset lacks; names the rule, op, opsets and what to do.",
  },
  QUANT_OUTPUT_IS_INPUT: { exit: 'model', summary: 'The output path is the input model.' },
  QUANT_UNSUPPORTED_NODE: {
    exit: 'model',
    summary: 'A selected node has a pattern asrq cannot quantize; names the node and why.',
  },
  QUANT_VALIDATION_FAILED: { exit: 'model', summary: 'The written model does not load or run in onnxruntime.' },
} as const satisfies ErrorCodeTable;

/** A code of {@link quantizeErrorCodes}. */
export type QuantizeErrorCode = keyof typeof quantizeErrorCodes;

const marker = Symbol.for('asrq.error.QuantizeError');

/**
 * Errors of quantization: plans, selection, calibration, validation. `code` is one of {@link quantizeErrorCodes}.
 *
 * @example
 * ```ts
 * import { QuantizeError } from '@asrq/quantize';
 * const error = new QuantizeError('QUANT_NO_MATCH', 'Rule 1 matches no node.');
 * console.log(QuantizeError.isInstance(error), error.name, error.code);
 * ```
 */
export class QuantizeError extends AsrqError<keyof typeof quantizeErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'QuantizeError';

  /**
   * True for a QuantizeError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a QuantizeError.
   */
  static override isInstance(value: unknown): value is QuantizeError {
    return AsrqError.hasMarker(value, marker);
  }
}
