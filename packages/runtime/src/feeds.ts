import { Tensor } from 'onnxruntime-node';
import { buildFeedsWith, silentFeatureFeedsWith, type TensorFactory } from './feeds-core.js';
import type { ModelInfo } from './types.js';

export { supportsPadding, validInputShares } from './feeds-core.js';

const nodeTensor: TensorFactory<Tensor> = (type, data, dims) => new Tensor(type, data, dims);

/**
 * Builds the onnxruntime feeds for a batch of mono waveforms: each row goes through the
 * model's front end (raw samples, per-utterance normalisation or filterbank features), then
 * rows are padded to the longest (features to the reference pipeline's tensor length, see
 * `FrontEnd.tensorFrameCount`, and the front end's `padFramesTo`, with its `padValue`; a
 * fixed-shape export's to its fixed length), with lengths, an attention mask and the family's
 * constant inputs when the model takes them, in the element types the model declares (float16
 * for fp16 exports). Calibration for quantization uses this too, so it feeds a model exactly as
 * inference does.
 *
 * @param info - The model's interface (from {@link CtcModel.info} or {@link discoverModelInfo}).
 * @param batch - Waveforms at the model's sample rate.
 * @param path - Model path, for error messages.
 * @returns Input name -> tensor.
 * @throws AsrqError `RUNTIME_BAD_BATCH` for an empty batch or empty audio, or rows of different lengths on a model that cannot pad; `RUNTIME_INPUT_TOO_LONG` for a row longer than a fixed-shape export takes.
 */
export function buildFeeds(
  info: ModelInfo,
  batch: readonly Float32Array[],
  path = 'the model',
): Record<string, Tensor> {
  return buildFeedsWith(nodeTensor, info, batch, path);
}

/**
 * Feeds of one row of `frames` silent feature frames, exactly that long (no padding): used to
 * probe how a feature model's strided layers map input to output frames.
 * @param info - The model's interface (`features` form).
 * @param frames - Input frames.
 * @param path - Model path, for error messages.
 * @returns Input name -> tensor.
 */
export function silentFeatureFeeds(info: ModelInfo, frames: number, path = 'the model'): Record<string, Tensor> {
  return silentFeatureFeedsWith(nodeTensor, info, frames, path);
}
