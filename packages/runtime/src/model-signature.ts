import type { AsrqError } from '@asrq/core';
import type { InferenceSession } from 'onnxruntime-node';
import type { FeaturesLayout, ModelInfoOverrides } from './model-info.js';
import { RuntimeError } from './errors.js';

type ValueMetadata = InferenceSession.ValueMetadata;

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

/** The tensors a model takes its audio (or features) and lengths through. */
export interface ModelInputs {
  audio: ValueMetadata;
  /** Rank-3 input: features rather than samples. */
  isFeatures: boolean;
  lengths: ValueMetadata | undefined;
  mask: ValueMetadata | undefined;
  /** Axis order and dimension of a features input. */
  layout: { layout: FeaturesLayout; dim?: number } | undefined;
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
    new RuntimeError(
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
 * Picks the audio (or features) input, the lengths input and the attention mask: named by the
 * overrides, else by the names exports use, else by type and rank.
 * @param inputs - `session.inputMetadata`.
 * @param overrides - Names that replace discovery.
 * @param unsupported - From {@link unsupportedModel}.
 * @returns The inputs.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` when no input fits or some input cannot be filled.
 */
export function pickModelInputs(
  inputs: readonly ValueMetadata[],
  overrides: ModelInfoOverrides,
  unsupported: (why: string) => AsrqError,
): ModelInputs {
  const audio = overrides.audioInput
    ? byName(inputs, overrides.audioInput, 'input', unsupported)
    : (pick(inputs, AUDIO_INPUT_NAMES, (v) => isFloat(v) && rank(v) === 2) ??
      inputs.filter((v) => isFloat(v) && rank(v) === 2)[0] ??
      pick(inputs, FEATURE_INPUT_NAMES, (v) => isFloat(v) && rank(v) === 3) ??
      inputs.filter((v) => isFloat(v) && rank(v) === 3)[0]);
  if (!audio) throw unsupported('no float32 input of shape [batch, samples] or [batch, frames, dim] was found');
  if (!isFloat(audio) || (rank(audio) !== undefined && rank(audio) !== 2 && rank(audio) !== 3)) {
    throw unsupported(
      `input "${audio.name}" is neither float [batch, samples] nor float features [batch, frames, dim]`,
    );
  }
  const isFeatures = rank(audio) === 3;

  const others = inputs.filter((v) => v.name !== audio.name);
  const lengths = overrides.lengthsInput
    ? byName(inputs, overrides.lengthsInput, 'input', unsupported)
    : (pick(others, LENGTH_NAMES, (v) => isInt(v) && rank(v) === 1) ?? others.find((v) => isInt(v) && rank(v) === 1));
  const mask = isFeatures ? undefined : pick(others, MASK_NAMES, (v) => isInt(v) && rank(v) === 2);
  const unknown = others.filter((v) => v !== lengths && v !== mask);
  if (unknown.length > 0) {
    throw unsupported(`it has inputs asrq cannot fill: ${unknown.map((v) => v.name).join(', ')}`);
  }
  const layout = isFeatures ? featuresLayoutOf(audio, overrides.featuresLayout) : undefined;
  return { audio, isFeatures, lengths, mask, layout };
}

/**
 * Picks the scores output and the output frame counts: named by the overrides, else by name, type and rank.
 * @param outputs - `session.outputMetadata`.
 * @param overrides - Names that replace discovery.
 * @param unsupported - From {@link unsupportedModel}.
 * @returns The outputs.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` when no output fits.
 */
export function pickModelOutputs(
  outputs: readonly ValueMetadata[],
  overrides: ModelInfoOverrides,
  unsupported: (why: string) => AsrqError,
): ModelOutputs {
  const scores = overrides.scoresOutput
    ? byName(outputs, overrides.scoresOutput, 'output', unsupported)
    : (pick(outputs, SCORE_OUTPUT_NAMES, (v) => isFloat(v) && rank(v) === 3) ??
      outputs.find((v) => isFloat(v) && rank(v) === 3));
  if (!scores) throw unsupported('no float output of shape [batch, frames, vocab] was found');
  const lengthsOut = overrides.lengthsOutput
    ? byName(outputs, overrides.lengthsOutput, 'output', unsupported)
    : outputs.find((v) => v !== scores && isInt(v) && rank(v) === 1);
  return { scores, lengthsOut };
}
