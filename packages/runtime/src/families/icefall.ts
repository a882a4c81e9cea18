import { frontEndFromSherpaMetadata } from '@asrq/frontend';
import type { ModelFamily } from './family.js';

const TYPES = new Set(['zipformer2_ctc', 'tdnn']);

/**
 * icefall CTC models as sherpa-onnx runs them (metadata `model_type` `zipformer2_ctc` or `tdnn`;
 * `tokens.txt` with `<blk>` first): `x` [batch, frames, 80] + `x_lens` -> `log_probs` +
 * `log_probs_len`, fed Kaldi fbank with sherpa-onnx's defaults (lhotse's, which icefall trains on).
 */
export const icefallFamily: ModelFamily = {
  name: 'icefall',
  description: 'icefall / k2 CTC as sherpa-onnx runs it (model_type zipformer2_ctc, tdnn): x + x_lens -> log_probs',
  kind: 'features',
  names: { signal: ['x'], lengths: ['x_lens'], scores: ['log_probs'] },
  detect(evidence) {
    const type = evidence.metadata.model_type ?? '';
    return TYPES.has(type) ? `metadata model_type ${type}` : undefined;
  },
  frontEnd(evidence, featureDim) {
    const hit = frontEndFromSherpaMetadata(evidence.metadata, featureDim, 'ONNX metadata');
    return hit && { name: hit.name, config: { ...hit.config }, source: 'ONNX metadata (sherpa-onnx keys)' };
  },
};
