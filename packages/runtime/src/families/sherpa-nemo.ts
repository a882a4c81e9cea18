import { frontEndFromSherpaMetadata } from '@asrq/frontend';
import type { ModelFamily } from './family.js';

/**
 * NeMo CTC models converted by sherpa-onnx's `scripts/nemo` (metadata `model_type`
 * `EncDecCTCModelBPE` / `EncDecCTCModel` / `EncDecHybridRNNTCTCBPEModel`, `normalize_type`,
 * `vocab_size`; `tokens.txt` with `<blk>` last): `audio_signal` + `length` -> `logprobs`, fed
 * kaldi-native-fbank features as sherpa-onnx's offline CTC recognizer computes them; blank last.
 */
export const sherpaNemoFamily: ModelFamily = {
  name: 'sherpa-nemo',
  description:
    'NeMo CTC exported by sherpa-onnx (metadata model_type EncDec*): kaldi fbank as sherpa-onnx computes it, blank last',
  kind: 'features',
  names: { signal: ['audio_signal'], lengths: ['length'], scores: ['logprobs'] },
  detect(evidence) {
    const type = evidence.metadata.model_type ?? '';
    return /EncDec/i.test(type) ? `metadata model_type ${type}` : undefined;
  },
  frontEnd(evidence, featureDim) {
    const hit = frontEndFromSherpaMetadata(evidence.metadata, featureDim, 'ONNX metadata');
    return hit && { name: hit.name, config: { ...hit.config }, source: 'ONNX metadata (sherpa-onnx keys)' };
  },
  blankId: (_evidence, vocab) => (vocab === undefined ? undefined : vocab - 1),
};
