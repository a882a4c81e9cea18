import type { FeatureMatrix } from '@asrq/frontend';
import type { ModelInfo } from './model-info.js';
import { RuntimeError } from './errors.js';

/** A feed tensor's element type: float32 audio or features, int64 lengths and masks. */
export type FeedType = 'float32' | 'int64';

/**
 * Makes one input tensor of the runtime in use (onnxruntime-node's or onnxruntime-web's `Tensor`),
 * so the same feed building serves both.
 * @typeParam T - That runtime's tensor type.
 */
export type TensorFactory<T> = (type: FeedType, data: Float32Array | BigInt64Array, dims: readonly number[]) => T;

/**
 * Whether a model with this interface accepts rows of different lengths in one batch.
 * @param info - The model's interface.
 * @returns True when it takes lengths or an attention mask.
 */
export function supportsPadding(info: ModelInfo): boolean {
  return info.lengthsInput !== undefined || info.maskInput !== undefined;
}

function checkBatch(info: ModelInfo, lengths: readonly number[], path: string, unit: string): number {
  if (lengths.length === 0) throw new RuntimeError('RUNTIME_BAD_BATCH', 'Cannot run a model on an empty batch.');
  const max = Math.max(...lengths);
  if (max === 0) throw new RuntimeError('RUNTIME_BAD_BATCH', `Cannot run ${path} on empty input (0 ${unit}).`);
  if (!supportsPadding(info) && lengths.some((n) => n !== max)) {
    throw new RuntimeError(
      'RUNTIME_BAD_BATCH',
      `${path} has no lengths or attention_mask input, so rows of different lengths cannot share a batch (padding would change the output). Use batch size 1.`,
    );
  }
  return max;
}

function waveformFeeds<T>(
  make: TensorFactory<T>,
  info: ModelInfo,
  rows: readonly Float32Array[],
  path: string,
): Record<string, T> {
  const maxLen = checkBatch(
    info,
    rows.map((r) => r.length),
    path,
    'samples',
  );
  const audio = rows.length === 1 ? rows[0]! : new Float32Array(rows.length * maxLen);
  if (rows.length > 1) rows.forEach((row, i) => audio.set(row, i * maxLen));
  const feeds: Record<string, T> = { [info.audioInput]: make('float32', audio, [rows.length, maxLen]) };
  if (info.lengthsInput)
    feeds[info.lengthsInput] = make(
      'int64',
      BigInt64Array.from(rows, (a) => BigInt(a.length)),
      [rows.length],
    );
  if (info.maskInput) {
    const mask = new BigInt64Array(rows.length * maxLen);
    rows.forEach((row, i) => mask.fill(1n, i * maxLen, i * maxLen + row.length));
    feeds[info.maskInput] = make('int64', mask, [rows.length, maxLen]);
  }
  return feeds;
}

/** One row of a features batch: the valid frames, and how many frames the reference pipeline's tensor has for it. */
interface FeatureRow {
  features: FeatureMatrix;
  tensorFrames: number;
}

function featureFeeds<T>(
  make: TensorFactory<T>,
  info: ModelInfo,
  rows: readonly FeatureRow[],
  path: string,
): Record<string, T> {
  const frontEnd = info.frontEnd;
  checkBatch(
    info,
    rows.map((r) => r.features.frames),
    path,
    'feature frames: the audio is shorter than one analysis window',
  );
  const padTo = frontEnd.padFramesTo ?? 0;
  const longest = Math.max(...rows.map((r) => r.tensorFrames));
  const frames = fedFrames(longest, padTo);
  const dim = frontEnd.dim;
  const data = new Float32Array(rows.length * frames * dim);
  const padValue = frontEnd.padValue ?? 0;
  if (padValue !== 0) data.fill(padValue);
  const bft = info.featuresLayout === 'BFT';
  rows.forEach(({ features: row }, b) => {
    const base = b * frames * dim;
    if (!bft) {
      data.set(row.data.subarray(0, row.frames * dim), base);
      return;
    }
    for (let t = 0; t < row.frames; t++) {
      const src = t * dim;
      for (let f = 0; f < dim; f++) data[base + f * frames + t] = row.data[src + f]!;
    }
  });
  const shape = bft ? [rows.length, dim, frames] : [rows.length, frames, dim];
  const feeds: Record<string, T> = { [info.audioInput]: make('float32', data, shape) };
  if (info.lengthsInput)
    feeds[info.lengthsInput] = make(
      'int64',
      BigInt64Array.from(rows, (r) => BigInt(r.features.frames)),
      [rows.length],
    );
  return feeds;
}

function fedFrames(longest: number, padTo: number): number {
  return padTo > 1 ? Math.ceil(longest / padTo) * padTo : longest;
}

/**
 * The share of each row's fed input that is real (valid samples or frames over the padded
 * length the batch was fed with), from which the valid output frames of a model without a
 * lengths output are estimated.
 * @param info - The model's interface.
 * @param batch - The waveforms that were fed.
 * @returns One fraction in (0, 1] per row.
 */
export function validInputShares(info: ModelInfo, batch: readonly Float32Array[]): number[] {
  const frontEnd = info.frontEnd;
  if (frontEnd.kind === 'waveform') {
    const longest = Math.max(...batch.map((a) => a.length));
    return batch.map((a) => (longest > 0 ? a.length / longest : 1));
  }
  const valid = batch.map((a) => frontEnd.frameCount(a.length));
  const longest = Math.max(...batch.map((a, i) => Math.max(valid[i]!, frontEnd.tensorFrameCount?.(a.length) ?? 0)));
  const fed = fedFrames(longest, frontEnd.padFramesTo ?? 0);
  return valid.map((v) => (fed > 0 ? v / fed : 1));
}

/**
 * Builds the onnxruntime feeds for a batch of mono waveforms: each row goes through the
 * model's front end (raw samples, per-utterance normalisation or filterbank features), then
 * rows are padded to the longest (features to the reference pipeline's tensor length, see
 * `FrontEnd.tensorFrameCount`, and the front end's `padFramesTo`, with its `padValue`), with
 * lengths or an attention mask when the model takes them. Calibration for quantization
 * uses this too, so it feeds a model exactly as inference does. Runtime-neutral: `feeds.ts`
 * (onnxruntime-node) and the web entry (onnxruntime-web) pass their own `Tensor`.
 *
 * @param make - Creates a tensor of the runtime in use.
 * @param info - The model's interface (from `CtcModel.info` or {@link discoverModelInfo}).
 * @param batch - Waveforms at the model's sample rate.
 * @param path - Model path, for error messages.
 * @returns Input name -> tensor.
 * @throws AsrqError `RUNTIME_BAD_BATCH` for an empty batch or empty audio, or rows of different lengths on a model that cannot pad.
 */
export function buildFeedsWith<T>(
  make: TensorFactory<T>,
  info: ModelInfo,
  batch: readonly Float32Array[],
  path = 'the model',
): Record<string, T> {
  const frontEnd = info.frontEnd;
  if (frontEnd.kind === 'waveform') {
    const rows =
      frontEnd.name === 'raw' ? batch : batch.map((row) => (row.length === 0 ? row : frontEnd.compute(row).data));
    return waveformFeeds(make, info, rows, path);
  }
  return featureFeeds(
    make,
    info,
    batch.map((row) => {
      const features =
        row.length < frontEnd.minSamples
          ? { data: new Float32Array(0), frames: 0, dim: frontEnd.dim }
          : frontEnd.compute(row);
      return {
        features,
        tensorFrames: Math.max(
          features.frames,
          features.frames > 0 ? (frontEnd.tensorFrameCount?.(row.length) ?? 0) : 0,
        ),
      };
    }),
    path,
  );
}

/**
 * Feeds of one row of `frames` silent feature frames, exactly that long (no padding): used to
 * probe how a feature model's strided layers map input to output frames.
 * @param make - Creates a tensor of the runtime in use.
 * @param info - The model's interface (`features` form).
 * @param frames - Input frames.
 * @param path - Model path, for error messages.
 * @returns Input name -> tensor.
 */
export function silentFeatureFeedsWith<T>(
  make: TensorFactory<T>,
  info: ModelInfo,
  frames: number,
  path = 'the model',
): Record<string, T> {
  const dim = info.frontEnd.dim;
  return featureFeeds(
    make,
    { ...info, frontEnd: { ...info.frontEnd, padFramesTo: 0 } as ModelInfo['frontEnd'] },
    [{ features: { data: new Float32Array(frames * dim), frames, dim }, tensorFrames: frames }],
    path,
  );
}
