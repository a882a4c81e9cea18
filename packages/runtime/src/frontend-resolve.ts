import { createFrontEnd, frontEndNames, getFrontEndDefinition, type FrontEnd } from '@asrq/frontend';
import type { FamilyFrontEnd } from './families/family.js';
import { AsrqRuntimeError } from './errors.js';

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

/** Options of {@link resolveFrontEnd}. */
export interface ResolveFrontEndOptions {
  /** Model path, for messages. */
  path: string;
  /** Whether the model takes samples or features. */
  kind: 'waveform' | 'features';
  /** Feature dimension read off the input shape, when static. */
  featureDim?: number;
  /** What the model family's own files call for (its `frontEnd` rule). */
  found?: FamilyFrontEnd;
  /** `--frontend` / `--frontend-config`. */
  override?: FrontEndOverride;
  /** The rate `--sample-rate` or the model's metadata sets, given to front ends whose settings do not name one. */
  sampleRate?: number;
  /** A preprocessor_config.json beside the model that describes no feature extractor (said in the source). */
  unusedConfig?: string;
}

function noFrontEnd(path: string, featureDim: number | undefined): AsrqRuntimeError {
  return new AsrqRuntimeError(
    'RUNTIME_NO_FRONTEND',
    `${path} takes features${featureDim ? ` (${featureDim} per frame)` : ''}, not samples, and nothing says how to compute them: no model_config.yaml (NeMo) beside it and no sherpa-onnx feature metadata. ` +
      `Name its front end (\`frontEnd\`: ${frontEndNames()
        .filter((n: string) => n !== 'raw' && n !== 'hf-normalize')
        .join('|')}), with its settings if they differ from the defaults (\`frontEnd.config\`).`,
    { argument: ['frontEnd', 'frontEnd.config'] },
  );
}

/** The front end's name, settings and origin before the override's settings and the sample rate are merged in. */
function chooseCandidate(options: ResolveFrontEndOptions): FamilyFrontEnd {
  const { override = {}, found } = options;
  if (override.name !== undefined && override.name !== found?.name)
    return { name: override.name, config: {}, source: '--frontend' };
  if (found) return found;
  if (options.kind === 'waveform')
    return {
      name: 'raw',
      config: {},
      source: options.unusedConfig
        ? `default (${options.unusedConfig} describes no waveform feature extractor, so it is not used)`
        : 'default (no preprocessor_config.json beside the model)',
    };
  throw noFrontEnd(options.path, options.featureDim);
}

/** Refuses a front end whose kind or dimension does not fit the model's input. */
function checkFits(options: ResolveFrontEndOptions, frontEnd: FrontEnd, source: string): void {
  const { path, kind, featureDim } = options;
  if (frontEnd.kind !== kind) {
    throw new AsrqRuntimeError(
      'RUNTIME_FRONTEND_MISMATCH',
      `${path} takes ${kind === 'waveform' ? 'samples [batch, samples]' : 'features'} but front end "${frontEnd.name}" (${source}) produces ${frontEnd.kind === 'waveform' ? 'samples' : 'features'}. ` +
        `Choose a ${kind} front end (\`frontEnd\`).`,
      { argument: 'frontEnd' },
    );
  }
  if (kind === 'features' && featureDim !== undefined && frontEnd.dim !== featureDim) {
    throw new AsrqRuntimeError(
      'RUNTIME_FRONTEND_MISMATCH',
      `${path} takes ${featureDim} features per frame but front end "${frontEnd.name}" (${source}) gives ${frontEnd.dim}. Set its dimension in its settings (\`frontEnd.config\`, e.g. {"numMelBins": ${featureDim}} or {"features": ${featureDim}}).`,
      { argument: 'frontEnd.config' },
    );
  }
}

/**
 * Chooses the front end for a model: an explicit override first, then what the model family's
 * own files say (`found`: transformers `preprocessor_config.json`, NeMo `model_config.yaml`,
 * sherpa-onnx metadata, ...), else `raw` for waveform models. Feature models with nothing to go
 * on are refused rather than guessed.
 *
 * @param options - The model's path, input kind and dimension, the family's choice, the override, the sample rate.
 * @returns The front end and where it came from.
 * @throws AsrqError `RUNTIME_NO_FRONTEND` for a feature model with no front-end settings, `RUNTIME_FRONTEND_MISMATCH` when the front end's kind or dimension does not fit the model.
 * @example
 * ```ts
 * const { frontEnd, source } = resolveFrontEnd({ path: 'm.onnx', kind: 'waveform' }); // raw, by default
 * ```
 */
export function resolveFrontEnd(options: ResolveFrontEndOptions): ResolvedFrontEnd {
  const { override = {}, sampleRate } = options;
  let candidate = chooseCandidate(options);
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
  checkFits(options, frontEnd, candidate.source);
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
      throw new AsrqRuntimeError(
        'RUNTIME_FRONTEND_MISMATCH',
        `${first.path} uses front end ${key(first)} (${first.info.frontEndSource}) but ${other.path} uses ${key(other)} (${other.info.frontEndSource}). ` +
          'Put the same configuration files beside both models, or give both the same front end (`frontEnd`, `frontEnd.config`).',
        { argument: ['frontEnd', 'frontEnd.config'] },
      );
    }
  }
}
