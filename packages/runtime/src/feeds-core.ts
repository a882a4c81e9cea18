import type { FeatureMatrix } from '@asrq/frontend';
import { toFloat16Bits } from './float16.js';
import type { FeedType, ModelInfo } from './types.js';
import { AsrqRuntimeError } from './errors.js';

/** The data of one feed tensor (float16 as its bit patterns). */
export type FeedData = Float32Array | Uint16Array | BigInt64Array | Int32Array;

/**
 * Makes one input tensor of the runtime in use (onnxruntime-node's or onnxruntime-web's `Tensor`),
 * so the same feed building serves both.
 * @typeParam T - That runtime's tensor type.
 */
export type TensorFactory<T> = (type: FeedType, data: FeedData, dims: readonly number[]) => T;

/**
 * Whether a model with this interface accepts rows of different lengths in one batch.
 * @param info - The model's interface.
 * @returns True when it takes lengths or an attention mask, or its input length is fixed (every row is padded to it anyway).
 */
export function supportsPadding(info: ModelInfo): boolean {
  return info.lengthsInput !== undefined || info.maskInput !== undefined || info.fixedInputLength !== undefined;
}

/** The float input's tensor, converted to fp16 bits when the model takes float16. */
function signalTensor<T>(make: TensorFactory<T>, info: ModelInfo, data: Float32Array, dims: number[]): T {
  return info.inputType === 'float16' ? make('float16', toFloat16Bits(data), dims) : make('float32', data, dims);
}

/** An integer tensor of the type the model declares for that input. */
function intTensor<T>(
  make: TensorFactory<T>,
  type: 'int64' | 'int32' | undefined,
  values: number[],
  dims: number[],
): T {
  return type === 'int32'
    ? make('int32', Int32Array.from(values), dims)
    : make(
        'int64',
        BigInt64Array.from(values, (v) => BigInt(v)),
        dims,
      );
}

/** The attention mask of a padded batch: 1 over each row's samples, 0 over its padding. */
function maskTensor<T>(
  make: TensorFactory<T>,
  type: 'int64' | 'int32' | undefined,
  rows: readonly Float32Array[],
  width: number,
): T {
  const dims = [rows.length, width];
  if (type === 'int32') {
    const mask = new Int32Array(rows.length * width);
    rows.forEach((row, i) => mask.fill(1, i * width, i * width + row.length));
    return make('int32', mask, dims);
  }
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((row, i) => mask.fill(1n, i * width, i * width + row.length));
  return make('int64', mask, dims);
}

/** Adds the inputs filled with one value per row (SenseVoice's language and text normalisation). */
function addConstants<T>(make: TensorFactory<T>, info: ModelInfo, rows: number, feeds: Record<string, T>): void {
  for (const [name, { value, type }] of Object.entries(info.constantInputs ?? {})) {
    feeds[name] =
      type === 'float32' || type === 'float16'
        ? make('float32', new Float32Array(rows).fill(value), [rows])
        : intTensor(make, type, new Array<number>(rows).fill(value), [rows]);
  }
}

/** The message for input longer than a fixed-shape export takes. */
function tooLong(info: ModelInfo, path: string, got: number, unit: string): AsrqRuntimeError {
  const fixed = info.fixedInputLength!;
  const seconds = unit === 'samples' ? ` (${(fixed / info.sampleRate).toFixed(2)} s at ${info.sampleRate} Hz)` : '';
  return new AsrqRuntimeError(
    'RUNTIME_INPUT_TOO_LONG',
    `${path} takes input "${info.audioInput}" of exactly ${fixed} ${unit}${seconds}: its time axis was fixed at export. Got ${got}. ` +
      `asrq pads shorter input to ${fixed} ${unit}; cut longer audio into windows that fit (Transcriber, forwardLong and \`asrq transcribe\` do this by themselves), ` +
      'or re-export the model with a dynamic time axis (torch.onnx.export dynamic_axes, e.g. {"input_values": {1: "samples"}}).',
  );
}

function checkBatch(info: ModelInfo, lengths: readonly number[], path: string, unit: string): number {
  if (lengths.length === 0) throw new AsrqRuntimeError('RUNTIME_BAD_BATCH', 'Cannot run a model on an empty batch.');
  const max = Math.max(...lengths);
  if (max === 0) throw new AsrqRuntimeError('RUNTIME_BAD_BATCH', `Cannot run ${path} on empty input (0 ${unit}).`);
  if (!supportsPadding(info) && lengths.some((n) => n !== max)) {
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_BATCH',
      `${path} has no lengths or attention_mask input, so rows of different lengths cannot share a batch (padding would change the output). Use batch size 1.`,
    );
  }
  return max;
}

/** Rows' width in the batch tensor: the longest row, or the fixed length of a fixed-shape export. */
function batchWidth(info: ModelInfo, longest: number, path: string, unit: string): number {
  const fixed = info.fixedInputLength;
  if (fixed === undefined) return longest;
  if (longest > fixed) throw tooLong(info, path, longest, unit);
  return fixed;
}

function waveformFeeds<T>(
  make: TensorFactory<T>,
  info: ModelInfo,
  rows: readonly Float32Array[],
  path: string,
): Record<string, T> {
  const longest = checkBatch(
    info,
    rows.map((r) => r.length),
    path,
    'samples',
  );
  const width = batchWidth(info, longest, path, 'samples');
  const audio = rows.length === 1 && rows[0]!.length === width ? rows[0]! : new Float32Array(rows.length * width);
  if (audio !== rows[0]) rows.forEach((row, i) => audio.set(row, i * width));
  const feeds: Record<string, T> = { [info.audioInput]: signalTensor(make, info, audio, [rows.length, width]) };
  if (info.lengthsInput)
    feeds[info.lengthsInput] = intTensor(
      make,
      info.lengthsType,
      rows.map((r) => r.length),
      [rows.length],
    );
  if (info.maskInput) feeds[info.maskInput] = maskTensor(make, info.maskType, rows, width);
  addConstants(make, info, rows.length, feeds);
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
  const longest = Math.max(...rows.map((r) => r.tensorFrames));
  const frames = batchWidth(info, fedFrames(longest, frontEnd.padFramesTo ?? 0), path, 'feature frames');
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
  const feeds: Record<string, T> = { [info.audioInput]: signalTensor(make, info, data, shape) };
  if (info.lengthsInput)
    feeds[info.lengthsInput] = intTensor(
      make,
      info.lengthsType,
      rows.map((r) => r.features.frames),
      [rows.length],
    );
  addConstants(make, info, rows.length, feeds);
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
    const width = info.fixedInputLength ?? Math.max(...batch.map((a) => a.length));
    return batch.map((a) => (width > 0 ? a.length / width : 1));
  }
  const valid = batch.map((a) => frontEnd.frameCount(a.length));
  const longest = Math.max(...batch.map((a, i) => Math.max(valid[i]!, frontEnd.tensorFrameCount?.(a.length) ?? 0)));
  const fed = info.fixedInputLength ?? fedFrames(longest, frontEnd.padFramesTo ?? 0);
  return valid.map((v) => (fed > 0 ? v / fed : 1));
}

/**
 * Builds the onnxruntime feeds for a batch of mono waveforms: each row goes through the
 * model's front end (raw samples, per-utterance normalisation or filterbank features), then
 * rows are padded to the longest (features to the reference pipeline's tensor length, see
 * `FrontEnd.tensorFrameCount`, and the front end's `padFramesTo`, with its `padValue`; a
 * fixed-shape export's rows to its fixed length), with lengths or an attention mask and the
 * family's constant inputs when the model takes them, each in the element type the model
 * declares (float16 inputs get float16 values, int32 lengths int32). Calibration for
 * quantization uses this too, so it feeds a model exactly as inference does. Runtime-neutral:
 * `feeds.ts` (onnxruntime-node) and the web entry (onnxruntime-web) pass their own `Tensor`.
 *
 * @param make - Creates a tensor of the runtime in use.
 * @param info - The model's interface (from `CtcModel.info` or {@link discoverModelInfo}).
 * @param batch - Waveforms at the model's sample rate.
 * @param path - Model path, for error messages.
 * @returns Input name -> tensor.
 * @throws AsrqError `RUNTIME_BAD_BATCH` for an empty batch or empty audio, or rows of different lengths on a model that cannot pad; `RUNTIME_INPUT_TOO_LONG` for a row longer than a fixed-shape export takes.
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
