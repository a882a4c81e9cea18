import type { LogProbs } from '@asrq/ctc/browser';
import { validInputShares } from './feeds-core.js';
import { float16ToFloat32 } from './float16.js';
import type { ModelInfo } from './types.js';
import type { OutputLengthFn } from './output-length.js';
import { AsrqRuntimeError } from './errors.js';

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

/** What {@link scoresToLogProbs} reads one run's log-probs from. */
export interface ScoresInput {
  /** The model's interface. */
  info: ModelInfo;
  /** Model path or name, for error messages. */
  path: string;
  /** The scores output. */
  scores: ScoresTensor | undefined;
  /** The lengths output's data, when the model has one. */
  lengths: BigInt64Array | Int32Array | undefined;
  /** The waveforms that were fed. */
  batch: readonly Float32Array[];
  /** Output frames (prompt frames included) for valid input frames: the family's rule or learnt by probing. */
  outputLength: OutputLengthFn | undefined;
  /** Remembers whether the scores are normalised. */
  state: NormalizationState;
}

/** Valid output frames of row `r`, prompt frames included. */
function validFrames(input: ScoresInput, frames: number, r: number, shares: readonly number[]): number {
  const { info, lengths, outputLength, batch } = input;
  const prompt = info.promptFrames ?? 0;
  if (lengths) return Math.min(frames, Number(lengths[r]));
  if (outputLength) return Math.min(frames, outputLength(info.frontEnd.frameCount(batch[r]!.length)));
  if (shares[r]! < 1) return Math.min(frames, prompt + Math.ceil((frames - prompt) * shares[r]! - 1e-9));
  return frames;
}

/**
 * Turns a run's score output into per-row log-probs, each trimmed to its valid frames (from the
 * lengths output, the output-length rule, or the real share of its padded input) and without the
 * model's prompt frames, applying log-softmax unless the model already emits normalised log-probs
 * (checked once, on the first row, and remembered in `state`). float16 scores (fp16 exports) are
 * read as float32. Runtime-neutral: the Node and web models both use it.
 *
 * @param input - The model's interface and name, the run's outputs, the fed batch, the output-length rule, the normalisation state.
 * @returns One matrix per row.
 * @throws AsrqError `RUNTIME_BAD_OUTPUT` when the scores are not float [batch, frames, vocab].
 */
export function scoresToLogProbs(input: ScoresInput): LogProbs[] {
  const { info, path, scores, state } = input;
  if (scores?.dims.length !== 3 || (scores.type !== 'float32' && scores.type !== 'float16')) {
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_OUTPUT',
      `${path}: output "${info.scoresOutput}" is ${scores ? `${scores.type} [${scores.dims.join(', ')}]` : 'missing'}, expected float32 [batch, frames, vocab].`,
    );
  }
  const [rows, frames, vocab] = scores.dims as [number, number, number];
  const data =
    scores.type === 'float16' ? float16ToFloat32(scores.data as ArrayLike<number>) : (scores.data as Float32Array);
  // Without a lengths output, a row's valid frames are estimated from the real share of its padded input.
  const shares = input.lengths ? [] : validInputShares(info, input.batch);
  const prompt = Math.min(info.promptFrames ?? 0, frames);
  const result: LogProbs[] = [];
  for (let r = 0; r < rows; r++) {
    const valid = Math.max(prompt, validFrames(input, frames, r, shares));
    const view = data.subarray((r * frames + prompt) * vocab, (r * frames + valid) * vocab);
    result.push({ data: toLogProbs(view, vocab, state), frames: valid - prompt, vocab });
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
