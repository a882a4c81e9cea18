import type { InferenceSession } from 'onnxruntime-common';
import type { ModelCompanions } from './families/family.js';
import type { ModelEvidence, ModelFamily } from './families/family.js';
import { detectModelFamily } from './families/registry.js';
import { resolveFrontEnd, type ResolvedFrontEnd } from './frontend-resolve.js';
import {
  floatTypeOf,
  intTypeOf,
  pickModelInputs,
  pickModelOutputs,
  pickSignalInput,
  unsupportedModel,
  type ModelInputs,
} from './model-signature.js';
import { AsrqRuntimeError } from './errors.js';
import type { BlankIdSource, ConstantInputInfo, FeedType, ModelInfo, ModelInfoOverrides } from './types.js';

/** Options of {@link discoverModelInfo}. */
export interface DiscoverOptions {
  /** Model path (or name), for messages. */
  path: string;
  /** `session.inputMetadata`. */
  inputs: readonly ValueMetadata[];
  /** `session.outputMetadata`. */
  outputs: readonly ValueMetadata[];
  /** The model's metadata_props. */
  metadata: Record<string, string>;
  /** Configuration files found beside the model (`readModelCompanions`). */
  companions?: ModelCompanions;
  /** Names or values that replace discovery. */
  overrides?: ModelInfoOverrides;
}

type ValueMetadata = InferenceSession.ValueMetadata;

function numberFrom(metadata: Record<string, string>, key: string): number | undefined {
  const raw = metadata[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Works out how to feed a CTC model and read its output. Reads the signature, metadata and
 * companion files once, asks the family registry which family the model is (`families/`: each
 * family's detection, tensor names, front end, blank rule, constant inputs and prompt frames), then
 * picks the tensors (overrides first), resolves the front end ({@link resolveFrontEnd}) and the
 * blank id (override > metadata `blank_id` > the family's convention > the tokenizer's).
 *
 * @param options - The model's path, signature, metadata and companion files, and overrides.
 * @returns The model's interface description.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` naming the inputs/outputs found when no form matches; `RUNTIME_NO_FRONTEND` / `RUNTIME_FRONTEND_MISMATCH` from front-end resolution; `RUNTIME_BAD_BLANK`.
 * @example
 * ```ts no-run
 * const info = discoverModelInfo({ path, inputs: session.inputMetadata, outputs: session.outputMetadata, metadata });
 * ```
 */
export function discoverModelInfo(options: DiscoverOptions): ModelInfo {
  const { path, inputs, outputs, metadata, companions = {}, overrides = {} } = options;
  const unsupported = unsupportedModel(path, inputs, outputs);
  const generic = pickSignalInput(inputs, overrides, unsupported);
  const evidence: ModelEvidence = {
    path,
    inputs,
    outputs,
    metadata,
    companions,
    kind: generic.isFeatures ? 'features' : 'waveform',
  };
  const { family, reason } = detectModelFamily(evidence);
  const names = family.names ?? {};
  const signal = pickSignalInput(inputs, overrides, unsupported, names.signal);
  const constants = constantInputs(inputs, family, evidence, overrides);
  const picked = pickModelInputs(inputs, signal, {
    overrides,
    names,
    constants: Object.keys(constants),
    unsupported,
  });
  const { scores, lengthsOut } = pickModelOutputs(outputs, overrides, unsupported, names);
  const declaredRate = overrides.sampleRate ?? numberFrom(metadata, 'sample_rate');
  const resolved = resolveFrontEnd({
    path,
    kind: evidence.kind,
    ...(picked.layout?.dim === undefined ? {} : { featureDim: picked.layout.dim }),
    ...(family.frontEnd ? withFound(family.frontEnd(evidence, picked.layout?.dim)) : {}),
    ...(overrides.frontEnd ? { override: overrides.frontEnd } : {}),
    ...(declaredRate === undefined ? {} : { sampleRate: declaredRate }),
    ...unusedConfig(evidence),
  });
  checkRate(path, picked.isFeatures, declaredRate, overrides, resolved);
  const lastDim = scores.isTensor ? scores.shape[2] : undefined;
  const vocab = typeof lastDim === 'number' ? lastDim : undefined;
  const blank = resolveBlankId(path, metadata, overrides, family.blankId?.(evidence, vocab), vocab);
  const info: ModelInfo = {
    family: family.name,
    familySource: reason,
    form: picked.isFeatures ? 'features' : picked.lengths ? 'audio-with-lengths' : 'single-input',
    audioInput: picked.input.name,
    inputType: floatTypeOf(picked.input),
    scoresOutput: scores.name,
    sampleRate: declaredRate ?? resolved.frontEnd.sampleRate,
    blankIdSource: blank.source,
    frontEnd: resolved.frontEnd,
    frontEndSource: resolved.source,
    metadata,
    companions,
  };
  if (blank.id !== undefined) info.blankId = blank.id;
  if (lengthsOut) info.lengthsOutput = lengthsOut.name;
  if (Object.keys(constants).length > 0) info.constantInputs = constants;
  addInputs(info, picked);
  addFamilyFacts(info, family, evidence, vocab);
  return info;
}

function withFound(found: ReturnType<NonNullable<ModelFamily['frontEnd']>>) {
  return found ? { found } : {};
}

/** A feature model's front end must compute at the rate the model declares. */
function checkRate(
  path: string,
  isFeatures: boolean,
  declaredRate: number | undefined,
  overrides: ModelInfoOverrides,
  resolved: ResolvedFrontEnd,
): void {
  if (!isFeatures || declaredRate === undefined || declaredRate === resolved.frontEnd.sampleRate) return;
  throw new AsrqRuntimeError(
    'RUNTIME_FRONTEND_MISMATCH',
    `${path}: the sample rate is ${declaredRate} Hz (${overrides.sampleRate !== undefined ? '`sampleRate`' : 'metadata sample_rate'}) but front end "${resolved.frontEnd.name}" (${resolved.source}) computes features at ${resolved.frontEnd.sampleRate} Hz. Make them agree (\`frontEnd.config\` {"sampleRate": ${declaredRate}} or \`sampleRate\` ${resolved.frontEnd.sampleRate}).`,
    { argument: ['sampleRate', 'frontEnd.config'] },
  );
}

/** The family's constant inputs, then the overrides' values, each typed as the model declares the input. */
function constantInputs(
  inputs: readonly ValueMetadata[],
  family: ModelFamily,
  evidence: ModelEvidence,
  overrides: ModelInfoOverrides,
): Record<string, ConstantInputInfo> {
  const values: Record<string, { value: number; source: string }> = { ...family.constantInputs?.(evidence) };
  for (const [name, value] of Object.entries(overrides.constantInputs ?? {}))
    values[name] = { value, source: 'override' };
  const out: Record<string, ConstantInputInfo> = {};
  for (const [name, { value, source }] of Object.entries(values)) {
    const input = inputs.find((v) => v.name === name);
    if (!input?.isTensor) continue;
    const type: FeedType = input.type === 'float32' ? 'float32' : intTypeOf(input);
    out[name] = { value, type, source };
  }
  return out;
}

/** Copies the picked inputs' names, types, layout and fixed length into the info. */
function addInputs(info: ModelInfo, picked: ModelInputs): void {
  if (picked.layout) {
    info.featuresLayout = picked.layout.layout;
    if (picked.layout.dim !== undefined) info.featureDim = picked.layout.dim;
  }
  if (picked.fixedLength !== undefined) info.fixedInputLength = picked.fixedLength;
  if (picked.lengths) {
    info.lengthsInput = picked.lengths.name;
    info.lengthsType = intTypeOf(picked.lengths);
  }
  if (picked.mask) {
    info.maskInput = picked.mask.name;
    info.maskType = intTypeOf(picked.mask);
  }
}

/** Vocabulary size, frame stride, tokenizer kind and prompt frames: metadata first, then the family's conventions. */
function addFamilyFacts(
  info: ModelInfo,
  family: ModelFamily,
  evidence: ModelEvidence,
  vocab: number | undefined,
): void {
  const vocabSize = numberFrom(evidence.metadata, 'vocab_size') ?? vocab;
  if (vocabSize !== undefined) info.vocabSize = vocabSize;
  const stride =
    numberFrom(evidence.metadata, 'frame_stride_samples') ??
    family.frameStrideSamples?.(evidence, info.frontEnd.hopSamples);
  if (stride !== undefined) info.frameStrideSamples = stride;
  if (evidence.metadata.tokenizer) info.tokenizer = evidence.metadata.tokenizer;
  const prompt = family.promptFrames?.(evidence) ?? 0;
  if (prompt > 0) info.promptFrames = prompt;
}

/** The blank id: override > metadata `blank_id` > the family's convention > left to the tokenizer. */
function resolveBlankId(
  path: string,
  metadata: Record<string, string>,
  overrides: ModelInfoOverrides,
  familyBlank: number | undefined,
  vocab: number | undefined,
): { id: number | undefined; source: BlankIdSource } {
  const metadataBlank = numberFrom(metadata, 'blank_id');
  let blankId: number | undefined;
  let blankIdSource: BlankIdSource = 'tokenizer';
  if (overrides.blankId !== undefined) [blankId, blankIdSource] = [overrides.blankId, 'override'];
  else if (metadataBlank !== undefined) [blankId, blankIdSource] = [metadataBlank, 'metadata'];
  else if (familyBlank !== undefined) [blankId, blankIdSource] = [familyBlank, 'family'];
  if (blankId !== undefined && vocab !== undefined && (blankId < 0 || blankId >= vocab)) {
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_BLANK',
      `${path}: blank id ${blankId} (${blankIdSource === 'override' ? '`blankId`' : blankIdSource === 'metadata' ? 'metadata blank_id' : 'the family convention'}) is outside the model's vocabulary 0..${vocab - 1}. Pass \`blankId\` with an id the model outputs.`,
      { argument: 'blankId' },
    );
  }
  return { id: blankId, source: blankIdSource };
}

/** A preprocessor_config.json beside a waveform model, named in the front end's source when no family used it. */
function unusedConfig(evidence: ModelEvidence): { unusedConfig?: string } {
  const file = evidence.companions['preprocessor_config.json']?.path;
  return evidence.kind === 'waveform' && file ? { unusedConfig: file } : {};
}
