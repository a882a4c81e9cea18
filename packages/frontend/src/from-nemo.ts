import type { NemoMelConfig } from './nemo-mel-config.js';
import { FrontEndError } from './errors.js';

/** Keys of the preprocessor section that only matter in training or are deprecated no-ops. */
const IGNORED = new Set([
  '_target_',
  'dither',
  'max_duration',
  'rng',
  'nb_augmentation_prob',
  'nb_max_freq',
  'use_grads',
  'stft_conv',
  'stft_exact_pad',
  'use_torchaudio',
]);

/** NeMo key -> nemo-mel key, for the keys copied as they are. */
const COPIED: Record<string, keyof NemoMelConfig> = {
  sample_rate: 'sampleRate',
  window_size: 'windowSizeSec',
  window_stride: 'windowStrideSec',
  n_window_size: 'nWindowSize',
  n_window_stride: 'nWindowStride',
  n_fft: 'nFft',
  window: 'window',
  features: 'features',
  preemph: 'preemph',
  log: 'log',
  log_zero_guard_type: 'logZeroGuardType',
  mag_power: 'magPower',
  lowfreq: 'lowFreq',
  highfreq: 'highFreq',
  pad_to: 'padTo',
  pad_value: 'padValue',
  exact_pad: 'exactPad',
  frame_splicing: 'frameSplicing',
};

function bad(source: string, message: string): never {
  throw new FrontEndError('FRONTEND_BAD_CONFIG', `${source}: ${message}`, { location: source });
}

/**
 * Maps the `preprocessor:` section of NeMo's model_config.yaml (as found in an unpacked `.nemo`,
 * parsed to an object) to a `nemo-mel` config. NeMo's own defaults fill keys the section leaves
 * out (features 64, n_fft from the window, pad_to 16, ...); dither is dropped (NeMo dithers only
 * in training); `pad_to: max` becomes 0 and `highfreq: 0` means Nyquist, as in NeMo. The STFT padding and frame count follow NeMo >= 2.4; set `stftPadMode: 'reflect'`
 * and `dropLastFrame: false` yourself to reproduce older NeMo exactly.
 * @param preprocessorSection - The parsed mapping.
 * @param source - Where it came from (e.g. `model_config.yaml: preprocessor`).
 * @returns `{ name: 'nemo-mel', config }`, or undefined when `_target_` names another preprocessor (e.g. AudioToMFCCPreprocessor).
 * @throws AsrqError `FRONTEND_BAD_CONFIG` for a non-object section or settings nemo-mel cannot reproduce.
 * @example
 * ```ts
 * const { name, config } = frontEndFromNemoPreprocessor(yaml.parse(text).preprocessor, 'model_config.yaml')!;
 * const frontEnd = createFrontEnd(name, config, 'model_config.yaml');
 * ```
 */
export function frontEndFromNemoPreprocessor(
  preprocessorSection: unknown,
  source: string,
): { name: 'nemo-mel'; config: Partial<NemoMelConfig> } | undefined {
  if (typeof preprocessorSection !== 'object' || preprocessorSection === null || Array.isArray(preprocessorSection)) {
    bad(source, 'the preprocessor section must be a mapping of options.');
  }
  const section = preprocessorSection as Record<string, unknown>;
  const target = section._target_ ?? section.cls;
  if (target !== undefined && !(typeof target === 'string' && target.endsWith('AudioToMelSpectrogramPreprocessor')))
    return undefined;
  // NeMo's defaults where they differ from nemo-mel's, so an absent key means what it means to NeMo.
  const config: Record<string, unknown> = { features: 64, nFft: null, dither: 0 };
  for (const [key, value] of Object.entries(section)) {
    if (IGNORED.has(key)) continue;
    const mapped = COPIED[key];
    if (key === 'highfreq' && (value === null || value === 0)) {
      config.highFreq = null; // NeMo: highfreq or sample_rate / 2
    } else if (key === 'lowfreq' && value === null) {
      config.lowFreq = 0;
    } else if ((key === 'window_size' || key === 'window_stride') && (value === null || value === 0)) {
      // unset: n_window_size / n_window_stride give it in samples
    } else if (key === 'pad_to' && value === 'max') {
      config.padTo = 0; // pads to max_duration: only padding, which models with a length input ignore
    } else if (mapped !== undefined) {
      config[mapped] = value;
    } else if (key === 'normalize') {
      if (value === null || value === false || value === 'NA' || value === '') config.normalize = 'none';
      else if (typeof value === 'string') config.normalize = value;
      else
        bad(
          source,
          `normalize ${JSON.stringify(value)} (fixed_mean/fixed_std) is not supported; nemo-mel knows per_feature, all_features and none.`,
        );
    } else if (key === 'mel_norm') {
      config.melNorm = value === null || value === 'None' ? 'none' : value;
    } else if (key === 'log_zero_guard_value') {
      // NeMo also accepts the names of float32 limits.
      config.logZeroGuardValue =
        value === 'tiny' ? 1.1754943508222875e-38 : value === 'eps' ? 1.1920928955078125e-7 : value;
    } else {
      bad(
        source,
        `preprocessor option '${key}' is not one nemo-mel knows. Known: ${[...Object.keys(COPIED), 'normalize', 'mel_norm', 'log_zero_guard_value', ...IGNORED].join(', ')}.`,
      );
    }
  }
  if (config.nWindowSize !== undefined && config.nWindowSize !== null && section.window_size)
    bad(source, 'both window_size and n_window_size are set; NeMo refuses this too. Keep one.');
  if (config.nWindowStride !== undefined && config.nWindowStride !== null && section.window_stride)
    bad(source, 'both window_stride and n_window_stride are set; NeMo refuses this too. Keep one.');
  return { name: 'nemo-mel', config: config as Partial<NemoMelConfig> };
}
