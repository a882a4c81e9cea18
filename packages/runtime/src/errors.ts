import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/runtime`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const runtimeErrorCodes = {
  RUNTIME_BAD_BATCH: { exit: 'model', summary: 'A batch to run is empty or its inputs disagree.' },
  RUNTIME_BAD_BLANK: { exit: 'model', summary: "A model's blank id is outside its vocabulary." },
  RUNTIME_BAD_CHUNKING: {
    exit: 'model',
    summary: 'Long-audio chunking options are out of range or do not fit the model.',
  },
  RUNTIME_BAD_COMPANION: {
    exit: 'model',
    summary:
      'A file shipped beside the model (preprocessor_config.json, model_config.yaml, ...) cannot be read or parsed.',
  },
  RUNTIME_BAD_MODEL: { exit: 'model', summary: 'The model does not load in onnxruntime, or gives no output frames.' },
  RUNTIME_BAD_OUTPUT: { exit: 'model', summary: "A model's outputs have an unexpected shape." },
  RUNTIME_EMPTY_CORPUS: { exit: 'input', summary: 'A calibration corpus selection has no utterances.' },
  RUNTIME_FOREIGN_COMPANION: {
    exit: 'input',
    summary:
      "The output's folder holds another model's tokenizer or front-end file, which would be used for the output.",
  },
  RUNTIME_FRONTEND_MISMATCH: { exit: 'model', summary: "A front end's output does not fit the model's input." },
  RUNTIME_INPUT_TOO_LONG: {
    exit: 'model',
    summary: 'Audio is longer than a model exported with a fixed input length takes in one run.',
  },
  RUNTIME_MODEL_NOT_FOUND: { exit: 'model', summary: 'A model file does not exist or cannot be read.' },
  RUNTIME_NO_FRONTEND: { exit: 'model', summary: 'A feature-input model has nothing saying which front end it needs.' },
  RUNTIME_RUN_FAILED: {
    exit: 'model',
    summary: 'Running the model in onnxruntime failed; names the model and input shape.',
  },
  RUNTIME_SHORT_STREAM: { exit: 'model', summary: 'An audio stream ended before its announced length.' },
  RUNTIME_UNSUPPORTED_MODEL: { exit: 'model', summary: 'The model is not a CTC speech model asrq can feed.' },
  RUNTIME_VOCAB_MISMATCH: {
    exit: 'model',
    summary: "A tokenizer's vocabulary size differs from the model's output size.",
  },
} as const satisfies ErrorCodeTable;

/** A code of {@link runtimeErrorCodes}. */
export type RuntimeErrorCode = keyof typeof runtimeErrorCodes;

// The marker keeps its old name so isInstance also recognises errors thrown by earlier copies of the package.
const marker = Symbol.for('asrq.error.RuntimeError');

/**
 * Errors of loading and running models: discovery, front ends, feeds, long audio, tokenizers. `code` is one of {@link runtimeErrorCodes}.
 * Named `AsrqRuntimeError` (not `RuntimeError`) so that in a browser it is never taken for
 * `WebAssembly.RuntimeError`, the error a WebAssembly trap (inside onnxruntime-web) throws.
 *
 * @example
 * ```ts
 * import { AsrqRuntimeError } from '@asrq/runtime';
 * const error = new AsrqRuntimeError('RUNTIME_MODEL_NOT_FOUND', 'Model file model.onnx does not exist.');
 * console.log(AsrqRuntimeError.isInstance(error), error.name, error.code);
 * ```
 */
export class AsrqRuntimeError extends AsrqError<keyof typeof runtimeErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'AsrqRuntimeError';

  /**
   * True for an AsrqRuntimeError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is an AsrqRuntimeError.
   */
  static override isInstance(value: unknown): value is AsrqRuntimeError {
    return AsrqError.hasMarker(value, marker);
  }
}
