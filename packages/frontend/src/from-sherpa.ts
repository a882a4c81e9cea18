import type { KaldiFbankConfig } from './kaldi-fbank-config.js';
import { FrontEndError } from './errors.js';

const NEMO_TYPES = new Set(['EncDecCTCModelBPE', 'EncDecCTCModel', 'EncDecHybridRNNTCTCBPEModel']);

/** sherpa-onnx's FeatureExtractorConfig defaults, as kaldi-fbank options (dither 0: inference). */
const SHERPA_DEFAULTS: Partial<KaldiFbankConfig> = {
  sampleRate: 16000,
  numMelBins: 80,
  lowFreq: 20,
  highFreq: -400,
  dither: 0,
  snipEdges: false,
  frameShiftMs: 10,
  frameLengthMs: 25,
  removeDcOffset: true,
  preemphasisCoefficient: 0.97,
  windowType: 'povey',
  sampleScale: 1,
};

function intField(metadata: Record<string, string>, key: string, source: string): number | undefined {
  const text = metadata[key];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new FrontEndError(
      'FRONTEND_BAD_CONFIG',
      `${source}: metadata '${key}' must be a positive integer, got '${text}'.`,
      { location: source },
    );
  }
  return value;
}

/** log(1e-10): the feature value lhotse (icefall's data pipeline) and sherpa-onnx pad batches with. */
export const LHOTSE_LOG_PAD = Math.log(1e-10);

/**
 * Maps sherpa-onnx CTC model metadata to the `kaldi-fbank` settings sherpa-onnx's C++ uses for that
 * model type (offline-recognizer-ctc-impl.h): NeMo CTC exports get kaldi-native-fbank with librosa
 * (Slaney) filters, hann window, no DC removal, 0 Hz to Nyquist and the model's `normalize_type`
 * (per_feature, sherpa's population-std formula); GigaAM gets its 64-bin, 400-point-FFT setting;
 * zipformer2_ctc and tdnn use sherpa's defaults (20 Hz to Nyquist - 400, snip_edges false); WeNet
 * CTC feeds int16-range samples (sampleScale 32768). Dither is always 0 (WeNet's sherpa setting
 * of 1 is a training habit).
 * @param metadata - The ONNX model's custom metadata map.
 * @param featureDim - Feature dimension from the model's input shape, when known; metadata
 *   `feat_dim` / `feature_dim` win over it, 80 is the fallback (sherpa-onnx's default).
 * @param source - The model path, named in errors.
 * @returns `{ name: 'kaldi-fbank', config }`, or undefined when `model_type` is missing or not a CTC type sherpa-onnx feeds with fbank.
 * @throws AsrqError `FRONTEND_BAD_CONFIG` for a normalize_type other than per_feature or a malformed number.
 * @example
 * ```ts
 * const choice = frontEndFromSherpaMetadata(session.metadata, 80, 'model.onnx');
 * ```
 */
export function frontEndFromSherpaMetadata(
  metadata: Record<string, string>,
  featureDim: number | undefined,
  source: string,
): { name: string; config: Partial<KaldiFbankConfig> } | undefined {
  const modelType = metadata.model_type;
  if (modelType === undefined) return undefined;
  const dim = intField(metadata, 'feat_dim', source) ?? intField(metadata, 'feature_dim', source) ?? featureDim ?? 80;
  const sampleRate = intField(metadata, 'sample_rate', source) ?? 16000;
  const base: Partial<KaldiFbankConfig> = { ...SHERPA_DEFAULTS, numMelBins: dim, sampleRate };
  if (NEMO_TYPES.has(modelType)) {
    const normalizeType = metadata.normalize_type ?? '';
    if (normalizeType !== '' && normalizeType !== 'NA' && normalizeType !== 'per_feature') {
      throw new FrontEndError(
        'FRONTEND_BAD_CONFIG',
        `${source}: metadata normalize_type '${normalizeType}' is not supported (sherpa-onnx implements only per_feature). Override the front end (\`frontEnd\` nemo-mel, with its settings in \`frontEnd.config\`).`,
        { location: source, argument: ['frontEnd', 'frontEnd.config'] },
      );
    }
    const normalize = normalizeType === 'per_feature' ? 'per_feature' : 'none';
    if (metadata.is_giga_am === '1') {
      return {
        name: 'kaldi-fbank',
        config: {
          ...base,
          numMelBins: 64,
          lowFreq: 0,
          highFreq: 8000,
          removeDcOffset: false,
          preemphasisCoefficient: 0,
          windowType: 'hann',
          roundToPowerOfTwo: false,
          normalize,
        },
      };
    }
    return {
      name: 'kaldi-fbank',
      config: {
        ...base,
        lowFreq: 0,
        highFreq: 0,
        isLibrosa: true,
        removeDcOffset: false,
        windowType: 'hann',
        normalize,
      },
    };
  }
  // icefall trains on lhotse features, which pad a batch with log(1e-10); sherpa-onnx pads the same way.
  if (modelType === 'zipformer2_ctc' || modelType === 'tdnn')
    return { name: 'kaldi-fbank', config: { ...base, padValue: LHOTSE_LOG_PAD } };
  if (modelType === 'wenet_ctc') return { name: 'kaldi-fbank', config: { ...base, sampleScale: 32768 } };
  return undefined;
}
