import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/ctc`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const ctcErrorCodes = {
  CTC_BAD_BLANK: { exit: 'input', summary: 'A blank id is outside the vocabulary.' },
  CTC_BAD_LOGPROBS: {
    exit: 'input',
    summary: 'Log-probs do not match their claimed frames x vocabulary shape, or hold non-finite values.',
  },
  CTC_BAD_OPTION: { exit: 'input', summary: 'A decoder option is out of range; names it.' },
  CTC_BAD_TOKENIZER: {
    exit: 'input',
    summary: 'A tokenizer file (SentencePiece model, tokens.txt, vocab.json) is malformed.',
  },
  CTC_ENCODE_UNSUPPORTED: {
    exit: 'input',
    summary: 'Text encoding is asked of a tokenizer type that does not support it.',
  },
  CTC_NO_DECODER: {
    exit: 'input',
    summary: 'No registered decoder accepts the decode settings (only after the built-in beam decoder was replaced).',
  },
  CTC_NO_HYPOTHESIS: { exit: 'input', summary: 'Beam search returned no hypothesis.' },
  CTC_TOKENIZER_NOT_FOUND: { exit: 'input', summary: 'A tokenizer file cannot be read.' },
  CTC_UNKNOWN_CHAR: {
    exit: 'input',
    summary: 'Text to encode has a character the vocabulary lacks and there is no <unk> token.',
  },
  CTC_VOCAB_MISMATCH: { exit: 'input', summary: 'Log-probs have another vocabulary size than the tokenizer.' },
  LM_BAD_ARPA: { exit: 'input', summary: 'An ARPA language model file (or its gzip) is malformed; names the line.' },
  LM_BAD_COMPILED: { exit: 'input', summary: 'A compiled language model file is malformed or of another version.' },
  LM_BAD_ORDER: { exit: 'input', summary: 'An n-gram order is outside 1 to 5.' },
  LM_NOT_FOUND: { exit: 'input', summary: 'A language model file cannot be read.' },
  LM_NO_TEXT: { exit: 'input', summary: 'The LM training text has no words.' },
  // Named RUNTIME_ for compatibility: finding a model's tokenizer moved from runtime to ctc's tokenizer-format registry.
  RUNTIME_NO_TOKENIZER: { exit: 'model', summary: 'No tokenizer was found beside the model.' },
} as const satisfies ErrorCodeTable;

/** A code of {@link ctcErrorCodes}. */
export type CtcErrorCode = keyof typeof ctcErrorCodes;

const marker = Symbol.for('asrq.error.CtcError');

/**
 * Errors of tokenizers, CTC decoding and n-gram language models. `code` is one of {@link ctcErrorCodes}.
 *
 * @example
 * ```ts
 * import { CtcError } from '@asrq/ctc';
 * const error = new CtcError('LM_NO_TEXT', 'The LM training text has no words.');
 * console.log(CtcError.isInstance(error), error.name, error.code);
 * ```
 */
export class CtcError extends AsrqError<keyof typeof ctcErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'CtcError';

  /**
   * True for a CtcError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a CtcError.
   */
  static override isInstance(value: unknown): value is CtcError {
    return AsrqError.hasMarker(value, marker);
  }
}
