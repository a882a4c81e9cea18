import { frontEndFromHfPreprocessorConfig } from '@asrq/frontend';
import type { ModelFamily } from './family.js';

const CONFIG = 'preprocessor_config.json';

/**
 * transformers CTC exports (wav2vec2, HuBERT, WavLM, data2vec; optimum or torch.onnx): `input_values`
 * [batch, samples] (+ `attention_mask`) -> `logits`, fed as `preprocessor_config.json` says
 * (`do_normalize`: zero mean, unit variance per utterance), `vocab.json` with `<pad>` as the blank.
 */
export const transformersFamily: ModelFamily = {
  name: 'transformers',
  description: 'transformers wav2vec2, HuBERT, WavLM, data2vec: input_values (+ attention_mask) -> logits',
  kind: 'waveform',
  companions: [{ file: CONFIG, expected: 'a JSON object like transformers writes' }],
  names: { signal: ['input_values'], mask: ['attention_mask'], scores: ['logits'] },
  detect(evidence) {
    if (evidence.companions[CONFIG]) return `${CONFIG} beside the model`;
    if (evidence.inputs.some((v) => v.name === 'input_values')) return 'input "input_values"';
    return undefined;
  },
  frontEnd(evidence) {
    const file = evidence.companions[CONFIG];
    if (!file) return undefined;
    const hit = frontEndFromHfPreprocessorConfig(file.content, file.path);
    if (!hit) return undefined;
    return {
      name: hit.name,
      config: { ...hit.config },
      source: `${CONFIG} (${file.path})`,
      returnAttentionMask: hit.returnAttentionMask,
    };
  },
};
