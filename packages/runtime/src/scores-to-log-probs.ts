import type { LogProbs } from '@asrq/ctc/pure';
import { validInputShares } from './feeds-core.js';
import type { ModelInfo } from './model-info.js';
import type { OutputLengthFn } from './output-length.js';
import { RuntimeError } from './errors.js';

/** The parts of an output tensor read here (onnxruntime-node's and onnxruntime-web's `Tensor` both fit). */
export interface ScoresTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** Whether the model's scores are already log-probs; undefined until the first row is checked. */
export interface NormalizationState {
  normalized: boolean | undefined;
}

/**
 * Turns a run's score output into per-row log-probs, each trimmed to its valid frames (from the
 * lengths output, a learnt output-length function, or the real share of its padded input),
 * applying log-softmax unless the model already emits normalised log-probs (checked once, on the
 * first row, and remembered in `state`). Runtime-neutral: the Node and web models both use it.
 *
 * @param info - The model's interface.
 * @param path - Model path or name, for error messages.
 * @param scores - The scores output.
 * @param lengths - The lengths output's data, when the model has one.
 * @param batch - The waveforms that were fed.
 * @param outputLength - Learnt input-to-output frame arithmetic of a feature model without a lengths output.
 * @param state - Remembers whether the scores are normalised.
 * @returns One matrix per row.
 * @throws AsrqError `RUNTIME_BAD_OUTPUT` when the scores are not float32 [batch, frames, vocab].
 */
export function scoresToLogProbs(
  info: ModelInfo,
  path: string,
  scores: ScoresTensor | undefined,
  lengths: BigInt64Array | Int32Array | undefined,
  batch: readonly Float32Array[],
  outputLength: OutputLengthFn | undefined,
  state: NormalizationState,
): LogProbs[] {
  if (scores?.dims.length !== 3 || scores.type !== 'float32') {
    throw new RuntimeError(
      'RUNTIME_BAD_OUTPUT',
      `${path}: output "${info.scoresOutput}" is ${scores ? `${scores.type} [${scores.dims.join(', ')}]` : 'missing'}, expected float32 [batch, frames, vocab].`,
    );
  }
  const [rows, frames, vocab] = scores.dims as [number, number, number];
  const data = scores.data as Float32Array;
  // Without a lengths output, a row's valid frames are estimated from the real share of its padded input.
  const shares = lengths ? [] : validInputShares(info, batch);
  const result: LogProbs[] = [];
  for (let r = 0; r < rows; r++) {
    let valid = frames;
    if (lengths) valid = Math.min(frames, Number(lengths[r]));
    else if (outputLength) valid = Math.min(frames, outputLength(info.frontEnd.frameCount(batch[r]!.length)));
    else if (shares[r]! < 1) valid = Math.min(frames, Math.ceil(frames * shares[r]! - 1e-9));
    const view = data.subarray(r * frames * vocab, (r * frames + valid) * vocab);
    result.push({ data: toLogProbs(view, vocab, state), frames: valid, vocab });
  }
  return result;
}

/** Log-softmax rows unless the model already emits normalised log-probs (checked once, on the first row). */
function toLogProbs(view: Float32Array, vocab: number, state: NormalizationState): Float32Array {
  if (view.length === 0) return view;
  if (state.normalized === undefined) {
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) max = Math.max(max, view[v]!);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(view[v]! - max);
    state.normalized = Math.abs(max + Math.log(sum)) < 1e-3;
  }
  if (state.normalized) return view;
  const out = new Float32Array(view.length);
  for (let start = 0; start < view.length; start += vocab) {
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) max = Math.max(max, view[start + v]!);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(view[start + v]! - max);
    const norm = max + Math.log(sum);
    for (let v = 0; v < vocab; v++) out[start + v] = view[start + v]! - norm;
  }
  return out;
}
