import { frontEndFromSenseVoiceMetadata } from '@asrq/frontend';
import type { ConstantInput, ModelEvidence, ModelFamily } from './family.js';

/** An integer metadata entry, or the default sherpa-onnx's SenseVoice reader falls back to. */
function metadataInt(evidence: ModelEvidence, key: string, fallback: number): ConstantInput {
  const value = Number(evidence.metadata[key]);
  return Number.isInteger(value)
    ? { value, source: `metadata ${key}` }
    : { value: fallback, source: `${key} (sherpa-onnx's default; not in the metadata)` };
}

const hasInput = (evidence: ModelEvidence, name: string) => evidence.inputs.some((v) => v.name === name);

/**
 * SenseVoice (FunASR's CTC model, iic/SenseVoiceSmall) as sherpa-onnx's
 * `scripts/sense-voice/export-onnx.py` writes it: `x` [batch, frames, 560] (80-bin fbank,
 * low-frame-rate stacking 7 x 6, CMVN from the metadata) + `x_length`, `language` and `text_norm`
 * (int32) -> `logits` [batch, 4 + frames, vocab], whose first 4 frames are the prompt (language,
 * event, emotion, text normalisation) and are dropped; `tokens.txt`; blank 0. The language is
 * `lang_auto` and text normalisation `without_itn`, as sherpa-onnx feeds it by default.
 */
export const senseVoiceFamily: ModelFamily = {
  name: 'sense-voice',
  description:
    'SenseVoice exported by sherpa-onnx (model_type sense_voice_ctc): LFR fbank + CMVN, language and text_norm inputs, 4 prompt frames',
  kind: 'features',
  names: { signal: ['x'], lengths: ['x_length'], scores: ['logits'] },
  detect(evidence) {
    return evidence.metadata.model_type === 'sense_voice_ctc' ? 'metadata model_type sense_voice_ctc' : undefined;
  },
  frontEnd(evidence) {
    const hit = frontEndFromSenseVoiceMetadata(evidence.metadata, 'ONNX metadata');
    return hit && { name: hit.name, config: { ...hit.config }, source: 'ONNX metadata (sherpa-onnx SenseVoice keys)' };
  },
  constantInputs(evidence) {
    const inputs: Record<string, ConstantInput> = {};
    if (hasInput(evidence, 'language')) inputs.language = metadataInt(evidence, 'lang_auto', 0);
    if (hasInput(evidence, 'text_norm')) inputs.text_norm = metadataInt(evidence, 'without_itn', 15);
    return inputs;
  },
  blankId: () => 0,
  // The encoder keeps the stacked frame rate: one output frame per LFR frame.
  frameStrideSamples: (_evidence, frontEndHop) => frontEndHop,
  // The language, event, emotion and text-normalisation queries the export prepends to the features.
  promptFrames: (evidence) => (hasInput(evidence, 'language') && hasInput(evidence, 'text_norm') ? 4 : 0),
  outputFrames: (inputFrames, promptFrames) => inputFrames + promptFrames,
};
