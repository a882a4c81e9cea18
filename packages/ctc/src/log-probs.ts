import { CtcError } from './errors.js';

/** A [frames, vocab] row-major matrix of natural-log probabilities (a view into onnxruntime's output is fine). */
export interface LogProbs {
  /** Row-major values, at least `frames * vocab` long. */
  data: Float32Array;
  /** Number of rows (time steps). */
  frames: number;
  /** Number of columns (tokens, blank included). */
  vocab: number;
}

/**
 * Checks that a log-prob matrix is usable with a tokenizer of `vocabSize` tokens.
 *
 * @param logProbs - The matrix to check.
 * @param vocabSize - The tokenizer's vocabulary size.
 * @throws AsrqError `CTC_VOCAB_MISMATCH` when the widths differ, `CTC_BAD_LOGPROBS` when the
 * buffer is too short or holds NaN.
 * @example
 * ```ts
 * validateLogProbs({ data, frames: 120, vocab: 256 }, tokenizer.vocabSize);
 * ```
 */
export function validateLogProbs(logProbs: LogProbs, vocabSize: number): void {
  const { data, frames, vocab } = logProbs;
  if (vocab !== vocabSize) {
    throw new CtcError(
      'CTC_VOCAB_MISMATCH',
      `The model outputs ${vocab} classes per frame but the tokenizer has ${vocabSize} tokens. Use the tokenizer the model was trained with (for a wav2vec2 vocab.json, check that <pad>/blank is included).`,
    );
  }
  if (!Number.isInteger(frames) || frames < 0 || data.length < frames * vocab) {
    throw new CtcError(
      'CTC_BAD_LOGPROBS',
      `Log-probs claim ${frames} frames x ${vocab} tokens but hold ${data.length} values. Pass the frame count from log_prob_lengths and the matching buffer.`,
    );
  }
  const n = frames * vocab;
  for (let i = 0; i < n; i++) {
    const value = data[i]!;
    // +Infinity is as broken as NaN for a log-prob.
    if (Number.isNaN(value) || value === Infinity) {
      throw new CtcError(
        'CTC_BAD_LOGPROBS',
        `Log-probs hold ${value} at frame ${Math.floor(i / vocab)}, token ${i % vocab}. The model produced invalid output; check its input audio (silence, clipping) and its export.`,
        { location: `frame ${Math.floor(i / vocab)}` },
      );
    }
  }
}
