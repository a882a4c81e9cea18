import type { FrontEnd } from '@asrq/frontend';
import type { InferenceSession } from 'onnxruntime-node';
import type { ModelCompanions } from './companions.js';
import { resolveFrontEnd, type FrontEndOverride } from './frontend-resolve.js';
import { pickModelInputs, pickModelOutputs, unsupportedModel } from './model-signature.js';
import { RuntimeError } from './errors.js';

/**
 * How the model wants its input: asrq's `audio` + `audio_lengths`, a single `input_values`
 * like transformers' wav2vec2, or features (`[batch, frames, dim]` or `[batch, dim, frames]`
 * plus frame counts) like NeMo and sherpa-onnx / icefall exports.
 */
export type InputForm = 'audio-with-lengths' | 'single-input' | 'features';

/** Axis order of a feature input: `BTF` = [batch, frames, dim] (icefall), `BFT` = [batch, dim, frames] (NeMo). */
export type FeaturesLayout = 'BTF' | 'BFT';

/** Where the blank id came from. */
export type BlankIdSource = 'override' | 'metadata' | 'family' | 'tokenizer';

/** What asrq knows about a CTC model's interface: discovered from the graph and its metadata, overridable. */
export interface ModelInfo {
  /** How audio is fed. */
  form: InputForm;
  /** Input receiving float32 [batch, samples] audio, or the features of the `features` form. */
  audioInput: string;
  /** Axis order of the features input (`features` form only). */
  featuresLayout?: FeaturesLayout;
  /** Features per frame read off the input's shape, when it is static (`features` form only). */
  featureDim?: number;
  /** Input receiving int64 [batch] valid sample counts (audio-with-lengths form) or valid frame counts (features form). */
  lengthsInput?: string;
  /** Optional int64/int32 [batch, samples] attention mask of transformers exports. */
  maskInput?: string;
  /** Output holding [batch, frames, vocab] scores. */
  scoresOutput: string;
  /** Output holding int64 [batch] valid frame counts, when the model has one. */
  lengthsOutput?: string;
  /** Sample rate the model expects. */
  sampleRate: number;
  /** CTC blank token id; undefined when only the tokenizer can tell (its `<pad>`/`<blank>`/`<blk>` token, else 0). */
  blankId?: number;
  /** Where {@link ModelInfo.blankId} came from; `tokenizer` when it is undefined. */
  blankIdSource: BlankIdSource;
  /** What turns audio into the model's input (raw samples, normalised samples, filterbanks). */
  frontEnd: FrontEnd;
  /** Where the front end's choice and settings came from (a file beside the model, metadata, an override, the default). */
  frontEndSource: string;
  /** Whether the model's family is NeMo (blank is the last id, a BPE tokenizer.model lacks it). */
  family?: 'nemo' | 'transformers';
  /** Vocabulary size (last dimension of the scores), when known before running. */
  vocabSize?: number;
  /** Samples per output frame, when known (used to estimate frame counts of padded rows). */
  frameStrideSamples?: number;
  /** Tokenizer kind named in the metadata (`sentencepiece`, `char`), when present. */
  tokenizer?: string;
  /** Every metadata_props entry of the model. */
  metadata: Readonly<Record<string, string>>;
}

/** Overrides for what discovery would pick. */
export interface ModelInfoOverrides {
  audioInput?: string;
  lengthsInput?: string;
  scoresOutput?: string;
  lengthsOutput?: string;
  sampleRate?: number;
  blankId?: number;
  /** Front end name and/or partial settings (`--frontend`, `--frontend-config`). */
  frontEnd?: FrontEndOverride;
  /** Axis order of a features input when its shape does not tell (`--features-layout`). */
  featuresLayout?: FeaturesLayout;
}

type ValueMetadata = InferenceSession.ValueMetadata;

function numberFrom(metadata: Record<string, string>, key: string): number | undefined {
  const raw = metadata[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

function familyOf(
  companions: ModelCompanions,
  metadata: Record<string, string>,
  inputs: readonly ValueMetadata[],
): ModelInfo['family'] {
  // NeMo exports (its own, or sherpa-onnx's conversion of them: model_type EncDecCTCModelBPE) put the blank last.
  if (companions.nemoConfig || /EncDec/i.test(metadata.model_type ?? '')) return 'nemo';
  if (companions.preprocessorConfig || inputs.some((v) => v.name === 'input_values')) return 'transformers';
  return undefined;
}

/**
 * Works out how to feed a CTC model and read its output, from its input/output signatures,
 * its metadata_props (`sample_rate`, `blank_id`, `vocab_size`, `frame_stride_samples`,
 * `tokenizer`, sherpa-onnx's feature keys) and the configuration files beside it. Three forms
 * are recognised: asrq's `audio` float32 [batch, samples] + `audio_lengths` int64 [batch];
 * the single-input form of transformers' wav2vec2 exports (`input_values` -> `logits`,
 * optionally with `attention_mask`); and feature inputs (`audio_signal` [batch, dim, frames] +
 * `length` as NeMo exports them, `x` [batch, frames, dim] + `x_lens` as icefall/sherpa-onnx do).
 * The front end (what turns audio into that input) is resolved too: see {@link resolveFrontEnd}.
 *
 * @param path - Model path, for error messages.
 * @param inputs - `session.inputMetadata`.
 * @param outputs - `session.outputMetadata`.
 * @param metadata - The model's metadata_props.
 * @param overrides - Names or values that replace discovery.
 * @param companions - Configuration files found beside the model ({@link readModelCompanions}).
 * @returns The model's interface description.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` naming the inputs/outputs found when no form matches; `RUNTIME_NO_FRONTEND` / `RUNTIME_FRONTEND_MISMATCH` from front-end resolution.
 */
export function discoverModelInfo(
  path: string,
  inputs: readonly ValueMetadata[],
  outputs: readonly ValueMetadata[],
  metadata: Record<string, string>,
  overrides: ModelInfoOverrides = {},
  companions: ModelCompanions = {},
): ModelInfo {
  const unsupported = unsupportedModel(path, inputs, outputs);
  const { audio, isFeatures, lengths, mask, layout } = pickModelInputs(inputs, overrides, unsupported);
  const { scores, lengthsOut } = pickModelOutputs(outputs, overrides, unsupported);
  const declaredRate = overrides.sampleRate ?? numberFrom(metadata, 'sample_rate');
  const resolved = resolveFrontEnd(
    path,
    isFeatures ? 'features' : 'waveform',
    layout?.dim,
    companions,
    metadata,
    overrides.frontEnd,
    declaredRate,
  );
  if (isFeatures && declaredRate !== undefined && declaredRate !== resolved.frontEnd.sampleRate) {
    throw new RuntimeError(
      'RUNTIME_FRONTEND_MISMATCH',
      `${path}: the sample rate is ${declaredRate} Hz (${overrides.sampleRate !== undefined ? '--sample-rate' : 'metadata sample_rate'}) but front end "${resolved.frontEnd.name}" (${resolved.source}) computes features at ${resolved.frontEnd.sampleRate} Hz. Make them agree (--frontend-config {"sampleRate": ${declaredRate}} or --sample-rate ${resolved.frontEnd.sampleRate}).`,
    );
  }
  const family = familyOf(companions, metadata, inputs);
  const lastDim = scores.isTensor ? scores.shape[2] : undefined;
  const vocabSize = numberFrom(metadata, 'vocab_size') ?? (typeof lastDim === 'number' ? lastDim : undefined);
  const blank = resolveBlankId(path, metadata, overrides, family, lastDim);
  const info: ModelInfo = {
    form: isFeatures ? 'features' : lengths ? 'audio-with-lengths' : 'single-input',
    audioInput: audio.name,
    scoresOutput: scores.name,
    sampleRate: declaredRate ?? resolved.frontEnd.sampleRate,
    blankIdSource: blank.source,
    frontEnd: resolved.frontEnd,
    frontEndSource: resolved.source,
    metadata,
  };
  if (blank.id !== undefined) info.blankId = blank.id;
  if (family) info.family = family;
  if (layout) {
    info.featuresLayout = layout.layout;
    if (layout.dim !== undefined) info.featureDim = layout.dim;
  }
  if (lengths) info.lengthsInput = lengths.name;
  if (mask) info.maskInput = mask.name;
  if (lengthsOut) info.lengthsOutput = lengthsOut.name;
  if (vocabSize !== undefined) info.vocabSize = vocabSize;
  const stride = numberFrom(metadata, 'frame_stride_samples');
  if (stride !== undefined) info.frameStrideSamples = stride;
  if (metadata.tokenizer) info.tokenizer = metadata.tokenizer;
  return info;
}

/** The blank id: override > metadata `blank_id` > NeMo's blank-last convention > left to the tokenizer. */
function resolveBlankId(
  path: string,
  metadata: Record<string, string>,
  overrides: ModelInfoOverrides,
  family: ModelInfo['family'],
  lastDim: number | string | undefined,
): { id: number | undefined; source: BlankIdSource } {
  const metadataBlank = numberFrom(metadata, 'blank_id');
  let blankId: number | undefined;
  let blankIdSource: BlankIdSource = 'tokenizer';
  if (overrides.blankId !== undefined) [blankId, blankIdSource] = [overrides.blankId, 'override'];
  else if (metadataBlank !== undefined) [blankId, blankIdSource] = [metadataBlank, 'metadata'];
  else if (family === 'nemo' && typeof lastDim === 'number') [blankId, blankIdSource] = [lastDim - 1, 'family'];
  if (blankId !== undefined && typeof lastDim === 'number' && (blankId < 0 || blankId >= lastDim)) {
    throw new RuntimeError(
      'RUNTIME_BAD_BLANK',
      `${path}: blank id ${blankId} (${blankIdSource === 'override' ? '--blank-id' : blankIdSource === 'metadata' ? 'metadata blank_id' : 'NeMo convention'}) is outside the model's vocabulary 0..${lastDim - 1}. Pass --blank-id with an id the model outputs.`,
    );
  }
  return { id: blankId, source: blankIdSource };
}
