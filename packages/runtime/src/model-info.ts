import { AsrqError } from '@asrq/core';
import type { InferenceSession } from 'onnxruntime-node';

/** How the model wants its audio: asrq's `audio` + `audio_lengths`, or a single `input_values` like transformers' wav2vec2. */
export type InputForm = 'audio-with-lengths' | 'single-input';

/** What asrq knows about a CTC model's interface: discovered from the graph and its metadata, overridable. */
export interface ModelInfo {
  /** How audio is fed. */
  form: InputForm;
  /** Input receiving float32 [batch, samples]. */
  audioInput: string;
  /** Input receiving int64 [batch] valid sample counts (audio-with-lengths form). */
  lengthsInput?: string;
  /** Optional int64/int32 [batch, samples] attention mask of transformers exports. */
  maskInput?: string;
  /** Output holding [batch, frames, vocab] scores. */
  scoresOutput: string;
  /** Output holding int64 [batch] valid frame counts, when the model has one. */
  lengthsOutput?: string;
  /** Sample rate the model expects. */
  sampleRate: number;
  /** CTC blank token id. */
  blankId: number;
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
}

type ValueMetadata = InferenceSession.ValueMetadata;

const AUDIO_INPUT_NAMES = ['audio', 'input_values', 'waveform', 'waveforms', 'speech', 'wav', 'x', 'input'];
const LENGTH_NAMES = ['audio_lengths', 'lengths', 'wav_lens', 'input_lengths', 'length', 'audio_length'];
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

/**
 * Works out how to feed a CTC model and read its output, from its input/output signatures
 * and metadata_props (`sample_rate`, `blank_id`, `vocab_size`, `frame_stride_samples`,
 * `tokenizer`). Two forms are recognised: asrq's `audio` float32 [batch, samples] +
 * `audio_lengths` int64 [batch], and the single-input form of transformers' wav2vec2
 * exports (`input_values` -> `logits`, optionally with `attention_mask`).
 *
 * @param path - Model path, for error messages.
 * @param inputs - `session.inputMetadata`.
 * @param outputs - `session.outputMetadata`.
 * @param metadata - The model's metadata_props.
 * @param overrides - Names or values that replace discovery.
 * @returns The model's interface description.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` naming the inputs/outputs found when no form matches.
 */
export function discoverModelInfo(
  path: string,
  inputs: readonly ValueMetadata[],
  outputs: readonly ValueMetadata[],
  metadata: Record<string, string>,
  overrides: ModelInfoOverrides = {},
): ModelInfo {
  const unsupported = (why: string) =>
    new AsrqError(
      'RUNTIME_UNSUPPORTED_MODEL',
      `${path}: ${why}. Inputs: ${describe(inputs)}. Outputs: ${describe(outputs)}. ` +
        'asrq expects a CTC model taking raw audio float32 [batch, samples] (optionally with int64 [batch] lengths or an attention_mask) ' +
        'and returning [batch, frames, vocab] log-probs or logits; if discovery picked the wrong tensors, name them with --audio-input / --scores-output (or CtcModel.load overrides).',
    );
  const byName = (list: readonly ValueMetadata[], name: string, what: string) => {
    const hit = list.find((v) => v.name === name);
    if (!hit) throw unsupported(`it has no ${what} named "${name}"`);
    return hit;
  };

  const audio = overrides.audioInput
    ? byName(inputs, overrides.audioInput, 'input')
    : (pick(inputs, AUDIO_INPUT_NAMES, (v) => isFloat(v) && rank(v) === 2) ?? inputs.filter((v) => isFloat(v) && rank(v) === 2)[0]);
  if (!audio) throw unsupported('no float32 input of shape [batch, samples] was found');
  if (!isFloat(audio) || (rank(audio) !== undefined && rank(audio) !== 2)) throw unsupported(`input "${audio.name}" is not float [batch, samples]`);

  const others = inputs.filter((v) => v.name !== audio.name);
  const lengths = overrides.lengthsInput
    ? byName(inputs, overrides.lengthsInput, 'input')
    : (pick(others, LENGTH_NAMES, (v) => isInt(v) && rank(v) === 1) ?? others.find((v) => isInt(v) && rank(v) === 1));
  const mask = pick(others, MASK_NAMES, (v) => isInt(v) && rank(v) === 2);
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

  const lastDim = scores.isTensor ? scores.shape[2] : undefined;
  const vocabSize = numberFrom(metadata, 'vocab_size') ?? (typeof lastDim === 'number' ? lastDim : undefined);
  const info: ModelInfo = {
    form: lengths ? 'audio-with-lengths' : 'single-input',
    audioInput: audio.name,
    scoresOutput: scores.name,
    sampleRate: overrides.sampleRate ?? numberFrom(metadata, 'sample_rate') ?? 16000,
    blankId: overrides.blankId ?? numberFrom(metadata, 'blank_id') ?? 0,
    metadata,
  };
  if (lengths) info.lengthsInput = lengths.name;
  if (mask) info.maskInput = mask.name;
  if (lengthsOut) info.lengthsOutput = lengthsOut.name;
  if (vocabSize !== undefined) info.vocabSize = vocabSize;
  const stride = numberFrom(metadata, 'frame_stride_samples');
  if (stride !== undefined) info.frameStrideSamples = stride;
  if (metadata.tokenizer) info.tokenizer = metadata.tokenizer;
  return info;
}
