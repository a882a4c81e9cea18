import {
  createFrontEnd,
  frontEndFromHfPreprocessorConfig,
  frontEndFromNemoPreprocessor,
  frontEndFromSherpaMetadata,
  frontEndNames,
  getFrontEndDefinition,
  type FrontEnd,
} from '@asrq/frontend';
import type { ModelCompanions } from './companions.js';
import { RuntimeError } from './errors.js';

/** A front end chosen on the command line or in code instead of the one discovery would pick. */
export interface FrontEndOverride {
  /** Registry name (`raw`, `hf-normalize`, `kaldi-fbank`, `nemo-mel`, ...); omitted: keep the discovered one. */
  name?: string;
  /** Partial configuration merged over the discovered (or default) configuration. */
  config?: Record<string, unknown>;
  /** Where the configuration came from (e.g. the --frontend-config file), for messages and `inspect`. */
  source?: string;
}

/** The front end a model is fed through and where that choice came from. */
export interface ResolvedFrontEnd {
  frontEnd: FrontEnd;
  /** Human-readable origin, e.g. `preprocessor_config.json (/m/preprocessor_config.json)`. */
  source: string;
  /** transformers' `return_attention_mask`, when a preprocessor_config.json says so. */
  returnAttentionMask?: boolean;
}

interface Candidate {
  name: string;
  config: Record<string, unknown>;
  source: string;
  returnAttentionMask?: boolean;
}

function discovered(
  kind: 'waveform' | 'features',
  companions: ModelCompanions,
  metadata: Record<string, string>,
  featureDim: number | undefined,
): Candidate | undefined {
  if (kind === 'waveform' && companions.preprocessorConfig) {
    const { path, content } = companions.preprocessorConfig;
    const hit = frontEndFromHfPreprocessorConfig(content, path);
    if (hit)
      return {
        name: hit.name,
        config: { ...hit.config },
        source: `preprocessor_config.json (${path})`,
        returnAttentionMask: hit.returnAttentionMask,
      };
  }
  if (kind === 'features') {
    const preprocessor = companions.nemoConfig?.content.preprocessor;
    if (companions.nemoConfig && preprocessor !== undefined) {
      const hit = frontEndFromNemoPreprocessor(preprocessor, companions.nemoConfig.path);
      if (hit)
        return {
          name: hit.name,
          config: { ...hit.config },
          source: `model_config.yaml preprocessor (${companions.nemoConfig.path})`,
        };
    }
    const sherpa = frontEndFromSherpaMetadata(metadata, featureDim, 'ONNX metadata');
    if (sherpa) return { name: sherpa.name, config: { ...sherpa.config }, source: 'ONNX metadata (sherpa-onnx keys)' };
  }
  return undefined;
}

/**
 * Chooses the front end for a model: an explicit override first, then what the model's own
 * files say (transformers `preprocessor_config.json` for waveform models; NeMo
 * `model_config.yaml` or sherpa-onnx metadata for feature models), else `raw` for waveform
 * models. Feature models with nothing to go on are refused rather than guessed.
 *
 * @param path - Model path, for messages.
 * @param kind - Whether the model takes samples or features.
 * @param featureDim - Feature dimension read off the input shape, when static.
 * @param companions - Configuration files found beside the model.
 * @param metadata - The model's metadata_props.
 * @param override - `--frontend` / `--frontend-config`.
 * @param sampleRate - The rate `--sample-rate` or the model's metadata sets, given to front ends whose settings do not name one.
 * @returns The front end and where it came from.
 * @throws AsrqError `RUNTIME_NO_FRONTEND` for a feature model with no front-end settings, `RUNTIME_FRONTEND_MISMATCH` when the front end's kind or dimension does not fit the model.
 */
export function resolveFrontEnd(
  path: string,
  kind: 'waveform' | 'features',
  featureDim: number | undefined,
  companions: ModelCompanions,
  metadata: Record<string, string>,
  override: FrontEndOverride = {},
  sampleRate?: number,
): ResolvedFrontEnd {
  const found = discovered(kind, companions, metadata, featureDim);
  let candidate: Candidate;
  if (override.name !== undefined && override.name !== found?.name) {
    candidate = { name: override.name, config: {}, source: '--frontend' };
  } else if (found) {
    candidate = found;
  } else if (kind === 'waveform') {
    const unused = companions.preprocessorConfig?.path;
    candidate = {
      name: 'raw',
      config: {},
      source: unused
        ? `default (${unused} describes no waveform feature extractor, so it is not used)`
        : 'default (no preprocessor_config.json beside the model)',
    };
  } else {
    throw new RuntimeError(
      'RUNTIME_NO_FRONTEND',
      `${path} takes features${featureDim ? ` (${featureDim} per frame)` : ''}, not samples, and nothing says how to compute them: no model_config.yaml (NeMo) beside it and no sherpa-onnx feature metadata. ` +
        `Pass --frontend ${frontEndNames()
          .filter((n: string) => n !== 'raw' && n !== 'hf-normalize')
          .join('|')} (and --frontend-config <file> for its settings).`,
    );
  }
  if (override.config) {
    candidate = {
      ...candidate,
      config: { ...candidate.config, ...override.config },
      source: `${candidate.source} + ${override.source ?? 'config override'}`,
    };
  }
  if (
    sampleRate !== undefined &&
    candidate.config.sampleRate === undefined &&
    'sampleRate' in (getFrontEndDefinition(candidate.name).defaults as object)
  ) {
    candidate = { ...candidate, config: { ...candidate.config, sampleRate } };
  }
  const frontEnd = createFrontEnd(candidate.name, candidate.config, candidate.source);
  if (frontEnd.kind !== kind) {
    throw new RuntimeError(
      'RUNTIME_FRONTEND_MISMATCH',
      `${path} takes ${kind === 'waveform' ? 'samples [batch, samples]' : 'features'} but front end "${frontEnd.name}" (${candidate.source}) produces ${frontEnd.kind === 'waveform' ? 'samples' : 'features'}. ` +
        `Choose a ${kind} front end with --frontend.`,
    );
  }
  if (kind === 'features' && featureDim !== undefined && frontEnd.dim !== featureDim) {
    throw new RuntimeError(
      'RUNTIME_FRONTEND_MISMATCH',
      `${path} takes ${featureDim} features per frame but front end "${frontEnd.name}" (${candidate.source}) gives ${frontEnd.dim}. Set its dimension with --frontend-config (e.g. {"numMelBins": ${featureDim}} or {"features": ${featureDim}}).`,
    );
  }
  const resolved: ResolvedFrontEnd = { frontEnd, source: candidate.source };
  if (candidate.returnAttentionMask !== undefined) resolved.returnAttentionMask = candidate.returnAttentionMask;
  return resolved;
}

/**
 * Refuses to compare models that would be fed differently: every model of one benchmark or
 * evaluation must resolve the same front end with the same settings (a quantized copy without
 * its float model's preprocessor_config.json would otherwise be fed raw samples, silently).
 * @param models - Loaded models (path and interface).
 * @throws AsrqError `RUNTIME_FRONTEND_MISMATCH` naming the two models and what each uses.
 */
export function checkSameFrontEnd(
  models: readonly { path: string; info: { frontEnd: { name: string; config: unknown }; frontEndSource: string } }[],
): void {
  const [first, ...rest] = models;
  if (!first) return;
  const key = (m: (typeof models)[number]) => `${m.info.frontEnd.name} ${JSON.stringify(m.info.frontEnd.config)}`;
  for (const other of rest) {
    if (key(other) !== key(first)) {
      throw new RuntimeError(
        'RUNTIME_FRONTEND_MISMATCH',
        `${first.path} uses front end ${key(first)} (${first.info.frontEndSource}) but ${other.path} uses ${key(other)} (${other.info.frontEndSource}). ` +
          'Put the same configuration files beside both models, or pass --frontend / --frontend-config.',
      );
    }
  }
}
