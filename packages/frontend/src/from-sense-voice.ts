import type { FunasrFbankConfig } from './funasr-fbank.js';
import { FrontEndError } from './errors.js';

function bad(source: string, message: string): never {
  throw new FrontEndError('FRONTEND_BAD_CONFIG', `${source}: ${message}`, { location: source });
}

function positiveInt(metadata: Record<string, string>, key: string, source: string): number {
  const text = metadata[key];
  if (text === undefined || text.trim() === '')
    bad(
      source,
      `metadata '${key}' is missing; sherpa-onnx's SenseVoice export writes it (scripts/sense-voice/export-onnx.py).`,
    );
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    bad(source, `metadata '${key}' must be a positive integer, got '${text}'.`);
  return value;
}

function floatList(metadata: Record<string, string>, key: string, source: string): number[] {
  const text = metadata[key];
  if (text === undefined || text.trim() === '')
    bad(source, `metadata '${key}' (the CMVN statistics, comma-separated) is missing.`);
  const values = text.split(',').map((v) => Number(v.trim()));
  const wrong = values.findIndex((v) => !Number.isFinite(v));
  if (wrong >= 0) bad(source, `metadata '${key}' value ${wrong} is not a number.`);
  return values;
}

/**
 * Maps the metadata sherpa-onnx's SenseVoice export writes (`model_type` `sense_voice_ctc`,
 * `lfr_window_size`, `lfr_window_shift`, `normalize_samples`, `neg_mean`, `inv_stddev`) to the
 * `funasr-fbank` settings sherpa-onnx's SenseVoice recognizer uses: kaldi fbank with a Hamming
 * window, 20 Hz to Nyquist, snip edges, samples scaled to int16 range unless `normalize_samples`
 * is 1, then LFR stacking and CMVN from the metadata. The number of mel bins is the CMVN length
 * divided by the stacking size (80 for SenseVoice).
 * @param metadata - The ONNX model's metadata_props.
 * @param source - The model path, named in errors.
 * @returns `{ name: 'funasr-fbank', config }`, or undefined when `model_type` is not `sense_voice_ctc`.
 * @throws AsrqError `FRONTEND_BAD_CONFIG` when a key is missing or malformed, or the CMVN lists disagree.
 * @example
 * ```ts
 * const choice = frontEndFromSenseVoiceMetadata(metadata, 'model.onnx');
 * if (choice) createFrontEnd(choice.name, choice.config, 'ONNX metadata');
 * ```
 */
export function frontEndFromSenseVoiceMetadata(
  metadata: Record<string, string>,
  source: string,
): { name: 'funasr-fbank'; config: Partial<FunasrFbankConfig> } | undefined {
  if (metadata.model_type !== 'sense_voice_ctc') return undefined;
  const lfrM = positiveInt(metadata, 'lfr_window_size', source);
  const lfrN = positiveInt(metadata, 'lfr_window_shift', source);
  const normalizeSamples = metadata.normalize_samples?.trim();
  if (normalizeSamples !== '0' && normalizeSamples !== '1')
    bad(source, `metadata 'normalize_samples' must be 0 or 1, got '${metadata.normalize_samples ?? ''}'.`);
  const negMean = floatList(metadata, 'neg_mean', source);
  const invStddev = floatList(metadata, 'inv_stddev', source);
  if (negMean.length !== invStddev.length || negMean.length % lfrM !== 0)
    bad(
      source,
      `neg_mean has ${negMean.length} values and inv_stddev ${invStddev.length}; both must hold mel bins x lfr_window_size (${lfrM}) values.`,
    );
  return {
    name: 'funasr-fbank',
    config: {
      sampleRate: 16000,
      numMelBins: negMean.length / lfrM,
      windowType: 'hamming',
      lowFreq: 20,
      highFreq: 0,
      snipEdges: true,
      dither: 0,
      removeDcOffset: true,
      preemphasisCoefficient: 0.97,
      sampleScale: normalizeSamples === '1' ? 1 : 32768,
      padValue: 0,
      lfrM,
      lfrN,
      cmvnNegMean: negMean,
      cmvnInvStddev: invStddev,
    },
  };
}
