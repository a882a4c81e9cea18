import type { ModelFamily } from './family.js';

/**
 * asrq's own exports and SpeechBrain's: raw samples `audio` [batch, samples] + `audio_lengths`
 * (normalisation inside the graph) -> `log_probs` + `log_prob_lengths`, settings in the metadata
 * (`sample_rate`, `blank_id`, `vocab_size`, `frame_stride_samples`, `tokenizer`). Also the catch-all
 * for waveform models no other family claims: they are fed raw samples.
 */
export const asrqFamily: ModelFamily = {
  name: 'asrq',
  description: 'asrq / SpeechBrain exports and other waveform models: raw samples (+ lengths) -> log-probs',
  kind: 'waveform',
  fallback: true,
  names: { signal: ['audio'], lengths: ['audio_lengths'], scores: ['log_probs'] },
  detect(evidence) {
    return evidence.inputs.some((v) => v.name === 'audio')
      ? 'input "audio" (asrq form)'
      : 'takes samples and no other family claims it';
  },
};
