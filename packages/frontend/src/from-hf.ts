import { FrontEndError } from './errors.js';

/** What {@link frontEndFromHfPreprocessorConfig} reads from a transformers preprocessor_config.json. */
export interface HfFrontEndChoice {
  /** 'hf-normalize' when `do_normalize` is true, else 'raw'. */
  name: 'raw' | 'hf-normalize';
  /** Partial config for that front end (`sampleRate` from `sampling_rate`). */
  config: { sampleRate?: number };
  /** `return_attention_mask`: whether the model takes an attention mask (batches must pass it). */
  returnAttentionMask: boolean;
}

const WAVEFORM_EXTRACTORS = ['Wav2Vec2FeatureExtractor'];

function field<T>(
  json: Record<string, unknown>,
  key: string,
  type: 'boolean' | 'number' | 'string',
  source: string,
): T | undefined {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type || (type === 'number' && !Number.isFinite(value))) {
    throw new FrontEndError(
      'FRONTEND_BAD_CONFIG',
      `${source}: '${key}' must be a ${type}, got ${JSON.stringify(value)}.`,
      { location: source },
    );
  }
  return value as T;
}

/**
 * Reads the front end from transformers' preprocessor_config.json (wav2vec2, HuBERT, WavLM,
 * data2vec checkpoints): `do_normalize` chooses 'hf-normalize' or 'raw', `sampling_rate` the rate.
 * @param json - The parsed file.
 * @param source - Its path, named in errors.
 * @returns The choice, or undefined when the file describes another extractor (e.g. WhisperFeatureExtractor) or a multi-dimensional input.
 * @throws AsrqError `FRONTEND_BAD_CONFIG` when the file is not an object or a field asrq reads (`feature_extractor_type`,
 *   `feature_size`, `do_normalize`, `sampling_rate`, `return_attention_mask`) has the wrong type.
 * @example
 * ```ts
 * const choice = frontEndFromHfPreprocessorConfig(JSON.parse(text), 'model/preprocessor_config.json');
 * if (choice) createFrontEnd(choice.name, choice.config, 'preprocessor_config.json');
 * ```
 */
export function frontEndFromHfPreprocessorConfig(json: unknown, source: string): HfFrontEndChoice | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FrontEndError(
      'FRONTEND_BAD_CONFIG',
      `${source}: a preprocessor_config.json must hold a JSON object, got ${Array.isArray(json) ? 'an array' : String(json)}.`,
      { location: source },
    );
  }
  const record = json as Record<string, unknown>;
  // Every key asrq reads is checked first: a mistyped value must be an error naming it, not a
  // reason to ignore the whole file and feed the model differently.
  const type = field<string>(record, 'feature_extractor_type', 'string', source);
  const featureSize = field<number>(record, 'feature_size', 'number', source);
  const doNormalize = field<boolean>(record, 'do_normalize', 'boolean', source);
  const sampleRate = field<number>(record, 'sampling_rate', 'number', source);
  const returnAttentionMask = field<boolean>(record, 'return_attention_mask', 'boolean', source);
  if (type !== undefined && !WAVEFORM_EXTRACTORS.includes(type)) return undefined;
  if (featureSize !== undefined && featureSize !== 1) return undefined;
  if (type === undefined && doNormalize === undefined) return undefined;
  return {
    name: doNormalize ? 'hf-normalize' : 'raw',
    config: sampleRate === undefined ? {} : { sampleRate },
    returnAttentionMask: returnAttentionMask ?? false,
  };
}
