import type { FrontEnd } from '@asrq/frontend';
import type { InferenceSession } from 'onnxruntime-node';
import type { ModelCompanions } from './companions.js';
import { resolveFrontEnd, type FrontEndOverride } from './frontend-resolve.js';
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

const AUDIO_INPUT_NAMES = ['audio', 'input_values', 'waveform', 'waveforms', 'speech', 'wav', 'x', 'input'];
const FEATURE_INPUT_NAMES = ['audio_signal', 'x', 'features', 'feats', 'speech', 'input_features', 'processed_signal', 'fbank', 'input'];
const LENGTH_NAMES = ['audio_lengths', 'lengths', 'wav_lens', 'input_lengths', 'length', 'audio_length', 'x_lens', 'x_lengths', 'feats_lens', 'feature_lengths', 'speech_lengths', 'processed_signal_length'];
const MASK_NAMES = ['attention_mask', 'mask'];
const SCORE_OUTPUT_NAMES = ['log_probs', 'logits', 'logprobs', 'output', 'probs'];

function describe(values: readonly ValueMetadata[]): string {
  return values
    .map((v) => (v.isTensor ? `${v.name} ${v.type} [${v.shape.join(', ')}]` : `${v.name} (non-tensor)`))
    .join('; ');
}

function rank(value: ValueMetadata): number | undefined {
  return value.isTensor && value.shape.length > 0 ? value.shape.length : undefined;
}

function isFloat(value: ValueMetadata): boolean {
  return value.isTensor && (value.type === 'float32' || value.type === 'float16');
}

function isInt(value: ValueMetadata): boolean {
  return value.isTensor && (value.type === 'int64' || value.type === 'int32');
}

function pick(values: readonly ValueMetadata[], names: readonly string[], accept: (v: ValueMetadata) => boolean): ValueMetadata | undefined {
  for (const name of names) {
    const hit = values.find((v) => v.name === name && accept(v));
    if (hit) return hit;
  }
  return undefined;
}

function numberFrom(metadata: Record<string, string>, key: string): number | undefined {
  const raw = metadata[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

function staticDim(value: ValueMetadata, axis: number): number | undefined {
  const dim = value.isTensor ? value.shape[axis] : undefined;
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
}

/** Axis order of a rank-3 features input: from a static dimension, else the family's convention by input name. */
function featuresLayoutOf(input: ValueMetadata, override: FeaturesLayout | undefined): { layout: FeaturesLayout; dim?: number } {
  const d1 = staticDim(input, 1);
  const d2 = staticDim(input, 2);
  const layout: FeaturesLayout = override ?? (d1 !== undefined && d2 === undefined ? 'BFT' : d2 !== undefined && d1 === undefined ? 'BTF' : input.name === 'audio_signal' || input.name === 'processed_signal' ? 'BFT' : 'BTF');
  const dim = layout === 'BFT' ? d1 : d2;
  return dim === undefined ? { layout } : { layout, dim };
}

function familyOf(companions: ModelCompanions, metadata: Record<string, string>, inputs: readonly ValueMetadata[]): ModelInfo['family'] {
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
  const unsupported = (why: string) =>
    new RuntimeError(
      'RUNTIME_UNSUPPORTED_MODEL',
      `${path}: ${why}. Inputs: ${describe(inputs)}. Outputs: ${describe(outputs)}. ` +
        'asrq expects a CTC model taking raw audio float32 [batch, samples] (optionally with int64 [batch] lengths or an attention_mask) ' +
        'or features float32 [batch, frames, dim] / [batch, dim, frames] with int64 [batch] frame counts, ' +
        'and returning [batch, frames, vocab] log-probs or logits; if discovery picked the wrong tensors, name them with --audio-input / --scores-output (or CtcModel.load overrides).',
    );
  const byName = (list: readonly ValueMetadata[], name: string, what: string) => {
    const hit = list.find((v) => v.name === name);
    if (!hit) throw unsupported(`it has no ${what} named "${name}"`);
    return hit;
  };

  const audio = overrides.audioInput
    ? byName(inputs, overrides.audioInput, 'input')
    : (pick(inputs, AUDIO_INPUT_NAMES, (v) => isFloat(v) && rank(v) === 2) ??
      inputs.filter((v) => isFloat(v) && rank(v) === 2)[0] ??
      pick(inputs, FEATURE_INPUT_NAMES, (v) => isFloat(v) && rank(v) === 3) ??
      inputs.filter((v) => isFloat(v) && rank(v) === 3)[0]);
  if (!audio) throw unsupported('no float32 input of shape [batch, samples] or [batch, frames, dim] was found');
  if (!isFloat(audio) || (rank(audio) !== undefined && rank(audio) !== 2 && rank(audio) !== 3)) {
    throw unsupported(`input "${audio.name}" is neither float [batch, samples] nor float features [batch, frames, dim]`);
  }
  const isFeatures = rank(audio) === 3;

  const others = inputs.filter((v) => v.name !== audio.name);
  const lengths = overrides.lengthsInput
    ? byName(inputs, overrides.lengthsInput, 'input')
    : (pick(others, LENGTH_NAMES, (v) => isInt(v) && rank(v) === 1) ?? others.find((v) => isInt(v) && rank(v) === 1));
  const mask = isFeatures ? undefined : pick(others, MASK_NAMES, (v) => isInt(v) && rank(v) === 2);
  const unknown = others.filter((v) => v !== lengths && v !== mask);
  if (unknown.length > 0) {
    throw unsupported(`it has inputs asrq cannot fill: ${unknown.map((v) => v.name).join(', ')}`);
  }

  const scores = overrides.scoresOutput
    ? byName(outputs, overrides.scoresOutput, 'output')
    : (pick(outputs, SCORE_OUTPUT_NAMES, (v) => isFloat(v) && rank(v) === 3) ?? outputs.find((v) => isFloat(v) && rank(v) === 3));
  if (!scores) throw unsupported('no float output of shape [batch, frames, vocab] was found');
  const lengthsOut = overrides.lengthsOutput
    ? byName(outputs, overrides.lengthsOutput, 'output')
    : outputs.find((v) => v !== scores && isInt(v) && rank(v) === 1);

  const layout = isFeatures ? featuresLayoutOf(audio, overrides.featuresLayout) : undefined;
  const declaredRate = overrides.sampleRate ?? numberFrom(metadata, 'sample_rate');
  const resolved = resolveFrontEnd(path, isFeatures ? 'features' : 'waveform', layout?.dim, companions, metadata, overrides.frontEnd, declaredRate);
  if (isFeatures && declaredRate !== undefined && declaredRate !== resolved.frontEnd.sampleRate) {
    throw new RuntimeError(
      'RUNTIME_FRONTEND_MISMATCH',
      `${path}: the sample rate is ${declaredRate} Hz (${overrides.sampleRate !== undefined ? '--sample-rate' : 'metadata sample_rate'}) but front end "${resolved.frontEnd.name}" (${resolved.source}) computes features at ${resolved.frontEnd.sampleRate} Hz. Make them agree (--frontend-config {"sampleRate": ${declaredRate}} or --sample-rate ${resolved.frontEnd.sampleRate}).`,
    );
  }
  const family = familyOf(companions, metadata, inputs);
  const lastDim = scores.isTensor ? scores.shape[2] : undefined;
  const vocabSize = numberFrom(metadata, 'vocab_size') ?? (typeof lastDim === 'number' ? lastDim : undefined);
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
  const info: ModelInfo = {
    form: isFeatures ? 'features' : lengths ? 'audio-with-lengths' : 'single-input',
    audioInput: audio.name,
    scoresOutput: scores.name,
    sampleRate: declaredRate ?? resolved.frontEnd.sampleRate,
    blankIdSource,
    frontEnd: resolved.frontEnd,
    frontEndSource: resolved.source,
    metadata,
  };
  if (blankId !== undefined) info.blankId = blankId;
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
