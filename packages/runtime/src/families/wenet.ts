import { frontEndFromSherpaMetadata } from '@asrq/frontend';
import type { ModelFamily } from './family.js';

/**
 * WeNet CTC exports as sherpa-onnx's `scripts/wenet/export-onnx.py` writes them (metadata
 * `model_type` `wenet_ctc`, `subsampling_factor`, `vocab_size`; `tokens.txt` from WeNet's
 * units.txt with `<blank>` first and `<sos/eos>` last): `x` [batch, frames, 80] + `x_lens` ->
 * `log_probs` + `log_probs_lens`, the encoder's global CMVN inside the graph, fed Kaldi fbank of
 * int16-range samples as sherpa-onnx's offline CTC recognizer computes it for WeNet.
 */
export const wenetFamily: ModelFamily = {
  name: 'wenet',
  description: 'WeNet CTC exported by sherpa-onnx (model_type wenet_ctc): x + x_lens -> log_probs, int16-range fbank',
  kind: 'features',
  names: { signal: ['x'], lengths: ['x_lens'], scores: ['log_probs'] },
  detect(evidence) {
    return evidence.metadata.model_type === 'wenet_ctc' ? 'metadata model_type wenet_ctc' : undefined;
  },
  frontEnd(evidence, featureDim) {
    const hit = frontEndFromSherpaMetadata(evidence.metadata, featureDim, 'ONNX metadata');
    return hit && { name: hit.name, config: { ...hit.config }, source: 'ONNX metadata (sherpa-onnx keys)' };
  },
  // Conv2dSubsampling: one output frame per `subsampling_factor` input frames.
  frameStrideSamples(evidence, frontEndHop) {
    const factor = Number(evidence.metadata.subsampling_factor);
    return Number.isInteger(factor) && factor > 0 ? factor * frontEndHop : undefined;
  },
};
