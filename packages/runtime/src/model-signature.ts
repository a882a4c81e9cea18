import type { AsrqError } from '@asrq/core';
import type { InferenceSession } from 'onnxruntime-common';
import type { FamilyNames } from './families/family.js';
import type { FeaturesLayout, FloatType, IntType, ModelInfoOverrides } from './types.js';
import { AsrqRuntimeError } from './errors.js';

type ValueMetadata = InferenceSession.ValueMetadata;

// Names exports use, across families; a detected family's own names (families/*.ts) are tried first.
const AUDIO_INPUT_NAMES = ['audio', 'input_values', 'waveform', 'waveforms', 'speech', 'wav', 'x', 'input'];
const FEATURE_INPUT_NAMES = [
  'audio_signal',
  'x',
  'features',
  'feats',
  'speech',
  'input_features',
  'processed_signal',
  'fbank',
  'input',
];
const LENGTH_NAMES = [
  'audio_lengths',
  'lengths',
  'wav_lens',
  'input_lengths',
  'length',
  'audio_length',
  'x_lens',
  'x_lengths',
  'x_length',
  'feats_lens',
  'feature_lengths',
  'speech_lengths',
  'processed_signal_length',
];
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

function pick(
  values: readonly ValueMetadata[],
  names: readonly string[],
  accept: (v: ValueMetadata) => boolean,
): ValueMetadata | undefined {
  for (const name of names) {
    const hit = values.find((v) => v.name === name && accept(v));
    if (hit) return hit;
  }
  return undefined;
}

function staticDim(value: ValueMetadata, axis: number): number | undefined {
  const dim = value.isTensor ? value.shape[axis] : undefined;
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
}

/** Axis order of a rank-3 features input: from a static dimension, else the family's convention by input name. */
function featuresLayoutOf(
  input: ValueMetadata,
  override: FeaturesLayout | undefined,
): { layout: FeaturesLayout; dim?: number } {
  const d1 = staticDim(input, 1);
  const d2 = staticDim(input, 2);
  const layout: FeaturesLayout =
    override ??
    (d1 !== undefined && d2 === undefined
      ? 'BFT'
      : d2 !== undefined && d1 === undefined
        ? 'BTF'
        : input.name === 'audio_signal' || input.name === 'processed_signal'
          ? 'BFT'
          : 'BTF');
  const dim = layout === 'BFT' ? d1 : d2;
  return dim === undefined ? { layout } : { layout, dim };
}

/** The input a model takes its samples or features through. */
export interface SignalInput {
  input: ValueMetadata;
  /** Rank-3 input: features rather than samples. */
  isFeatures: boolean;
}

/** The tensors a model takes its audio (or features), lengths, mask and constants through. */
export interface ModelInputs extends SignalInput {
  lengths: ValueMetadata | undefined;
  mask: ValueMetadata | undefined;
  /** Axis order and dimension of a features input. */
  layout: { layout: FeaturesLayout; dim?: number } | undefined;
  /** Samples (or frames) the signal input takes when its time axis is static, e.g. 16000 for [1, 16000]. */
  fixedLength: number | undefined;
}

/** The tensors a model returns its scores (and frame counts) through. */
export interface ModelOutputs {
  scores: ValueMetadata;
  lengthsOut: ValueMetadata | undefined;
}

/**
 * Builds the errors of signature discovery: they name the model, what it has and what asrq expects.
 * @param path - Model path.
 * @param inputs - `session.inputMetadata`.
 * @param outputs - `session.outputMetadata`.
 * @returns A function giving AsrqError `RUNTIME_UNSUPPORTED_MODEL` for a reason.
 */
export function unsupportedModel(
  path: string,
  inputs: readonly ValueMetadata[],
  outputs: readonly ValueMetadata[],
): (why: string) => AsrqError {
  return (why: string) =>
    new AsrqRuntimeError(
      'RUNTIME_UNSUPPORTED_MODEL',
      `${path}: ${why}. Inputs: ${describe(inputs)}. Outputs: ${describe(outputs)}. ` +
        'asrq expects a CTC model taking raw audio float32 [batch, samples] (optionally with int64 [batch] lengths or an attention_mask) ' +
        'or features float32 [batch, frames, dim] / [batch, dim, frames] with int64 [batch] frame counts, ' +
        'and returning [batch, frames, vocab] log-probs or logits; if discovery picked the wrong tensors, name them with --audio-input / --scores-output (or CtcModel.load overrides).',
    );
}

function byName(
  list: readonly ValueMetadata[],
  name: string,
  what: string,
  unsupported: (why: string) => AsrqError,
): ValueMetadata {
  const hit = list.find((v) => v.name === name);
  if (!hit) throw unsupported(`it has no ${what} named "${name}"`);
  return hit;
}

/**
 * Picks the input that takes samples ([batch, samples]) or features ([batch, frames, dim]):
 * named by the override, else by the names exports use (a family's own first), else by type and rank.
 * @param inputs - `session.inputMetadata`.
 * @param overrides - `audioInput` replaces discovery.
 * @param unsupported - From {@link unsupportedModel}.
 * @param preferred - Names tried first (the detected family's).
 * @returns The input and whether it takes features.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` when no input fits.
 */
export function pickSignalInput(
  inputs: readonly ValueMetadata[],
  overrides: ModelInfoOverrides,
  unsupported: (why: string) => AsrqError,
  preferred: readonly string[] = [],
): SignalInput {
  const input = overrides.audioInput
    ? byName(inputs, overrides.audioInput, 'input', unsupported)
    : (pick(inputs, preferred, (v) => isFloat(v) && (rank(v) === 2 || rank(v) === 3)) ??
      pick(inputs, AUDIO_INPUT_NAMES, (v) => isFloat(v) && rank(v) === 2) ??
      inputs.filter((v) => isFloat(v) && rank(v) === 2)[0] ??
      pick(inputs, FEATURE_INPUT_NAMES, (v) => isFloat(v) && rank(v) === 3) ??
      inputs.filter((v) => isFloat(v) && rank(v) === 3)[0]);
  if (!input) throw unsupported('no float32 input of shape [batch, samples] or [batch, frames, dim] was found');
  if (!isFloat(input) || (rank(input) !== undefined && rank(input) !== 2 && rank(input) !== 3)) {
    throw unsupported(
      `input "${input.name}" is neither float [batch, samples] nor float features [batch, frames, dim]`,
    );
  }
  return { input, isFeatures: rank(input) === 3 };
}

/**
 * Picks the lengths input and the attention mask beside the signal input, and checks that every
 * other input is one the family fills with a constant.
 * @param inputs - `session.inputMetadata`.
 * @param signal - From {@link pickSignalInput}.
 * @param options - Overrides, the family's names, the inputs filled with constants, the error factory.
 * @returns The inputs.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` when some input cannot be filled.
 */
export function pickModelInputs(
  inputs: readonly ValueMetadata[],
  signal: SignalInput,
  options: {
    overrides: ModelInfoOverrides;
    names: FamilyNames;
    constants: readonly string[];
    unsupported: (why: string) => AsrqError;
  },
): ModelInputs {
  const { overrides, names, constants, unsupported } = options;
  const { input, isFeatures } = signal;
  const others = inputs.filter((v) => v.name !== input.name && !constants.includes(v.name));
  const lengths = overrides.lengthsInput
    ? byName(inputs, overrides.lengthsInput, 'input', unsupported)
    : (pick(others, [...(names.lengths ?? []), ...LENGTH_NAMES], (v) => isInt(v) && rank(v) === 1) ??
      others.find((v) => isInt(v) && rank(v) === 1));
  const mask = isFeatures
    ? undefined
    : pick(others, [...(names.mask ?? []), ...MASK_NAMES], (v) => isInt(v) && rank(v) === 2);
  const unknown = others.filter((v) => v !== lengths && v !== mask);
  if (unknown.length > 0) {
    throw unsupported(`it has inputs asrq cannot fill: ${unknown.map((v) => v.name).join(', ')}`);
  }
  const layout = isFeatures ? featuresLayoutOf(input, overrides.featuresLayout) : undefined;
  // A features input counts as fixed-length only when its feature axis is static too (a static
  // "time" axis beside a dynamic one means the layout was misread, not a fixed-shape export).
  const fixedLength = !isFeatures
    ? staticDim(input, 1)
    : layout?.dim === undefined
      ? undefined
      : staticDim(input, layout.layout === 'BFT' ? 2 : 1);
  return { input, isFeatures, lengths, mask, layout, fixedLength };
}

/**
 * Picks the scores output and the output frame counts: named by the overrides, else by name (the
 * family's first), type and rank.
 * @param outputs - `session.outputMetadata`.
 * @param overrides - Names that replace discovery.
 * @param unsupported - From {@link unsupportedModel}.
 * @param names - The detected family's names.
 * @returns The outputs.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` when no output fits.
 */
export function pickModelOutputs(
  outputs: readonly ValueMetadata[],
  overrides: ModelInfoOverrides,
  unsupported: (why: string) => AsrqError,
  names: FamilyNames = {},
): ModelOutputs {
  const scores = overrides.scoresOutput
    ? byName(outputs, overrides.scoresOutput, 'output', unsupported)
    : (pick(outputs, [...(names.scores ?? []), ...SCORE_OUTPUT_NAMES], (v) => isFloat(v) && rank(v) === 3) ??
      outputs.find((v) => isFloat(v) && rank(v) === 3));
  if (!scores) throw unsupported('no float output of shape [batch, frames, vocab] was found');
  const lengthsOut = overrides.lengthsOutput
    ? byName(outputs, overrides.lengthsOutput, 'output', unsupported)
    : outputs.find((v) => v !== scores && isInt(v) && rank(v) === 1);
  return { scores, lengthsOut };
}

/**
 * The element type of an input asrq fills with integers (lengths, mask, constants).
 * @param value - The input.
 * @returns `int32` when the model declares it so, else `int64`.
 */
export function intTypeOf(value: ValueMetadata): IntType {
  return value.isTensor && value.type === 'int32' ? 'int32' : 'int64';
}

/**
 * The element type of the samples or features input.
 * @param value - The input.
 * @returns `float16` for fp16 exports, else `float32`.
 */
export function floatTypeOf(value: ValueMetadata): FloatType {
  return value.isTensor && value.type === 'float16' ? 'float16' : 'float32';
}
