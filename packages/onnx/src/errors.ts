import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/onnx`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const onnxErrorCodes = {
  ONNX_BAD_SELECTOR: { exit: 'model', summary: 'A node selector (module path pattern) is malformed.' },
  ONNX_EXTERNAL_DATA: {
    exit: 'model',
    summary: 'An external-data file is missing, too short or outside the model directory.',
  },
  ONNX_NOT_A_MODEL: { exit: 'model', summary: 'The bytes are not an ONNX ModelProto.' },
  ONNX_READ_FAILED: { exit: 'model', summary: 'An ONNX model file is missing or unreadable.' },
  ONNX_UNSUPPORTED: { exit: 'model', summary: 'A tensor has a data type asrq cannot read.' },
  ONNX_UPGRADE_UNSUPPORTED: {
    exit: 'model',
    summary: 'An opset upgrade asrq cannot make (a downgrade, out of range, or an op it cannot adapt); names it.',
  },
  ONNX_WRITE_FAILED: { exit: 'model', summary: 'An ONNX model file cannot be written.' },
} as const satisfies ErrorCodeTable;

/** A code of {@link onnxErrorCodes}. */
export type OnnxErrorCode = keyof typeof onnxErrorCodes;

const marker = Symbol.for('asrq.error.OnnxError');

/**
 * Errors of ONNX model reading, writing and node selection. `code` is one of {@link onnxErrorCodes}.
 *
 * @example
 * ```ts
 * import { OnnxError } from '@asrq/onnx';
 * const error = new OnnxError('ONNX_READ_FAILED', 'Cannot read ONNX model m.onnx.');
 * console.log(OnnxError.isInstance(error), error.name, error.code);
 * ```
 */
export class OnnxError extends AsrqError<keyof typeof onnxErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'OnnxError';

  /**
   * True for an OnnxError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is an OnnxError.
   */
  static override isInstance(value: unknown): value is OnnxError {
    return AsrqError.hasMarker(value, marker);
  }
}
