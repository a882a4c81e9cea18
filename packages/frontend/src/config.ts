import { FrontEndError } from './errors.js';

/** Lowest sample rate a front end accepts, Hz (the range WAV and FLAC headers are read with). */
export const MIN_SAMPLE_RATE = 1000;
/** Highest sample rate a front end accepts, Hz. */
export const MAX_SAMPLE_RATE = 768_000;
/** Most features per frame (mel bins, spliced dims): beyond this a feature matrix costs gigabytes for no model that exists. */
export const MAX_FEATURE_DIM = 1024;
/** Largest FFT and window in samples (2^17: over 170 ms at the highest sample rate). */
export const MAX_FFT_SIZE = 2 ** 17;
/** Largest transform that is not a power of two (computed directly, in O(n^2) per frame). */
export const MAX_DIRECT_DFT_SIZE = 2048;
/**
 * Most feature values per second of audio (frames per second x dim): 25 times the usual 80 x 100,
 * so a long file's features take hundreds of megabytes at most, not gigabytes.
 */
export const MAX_FEATURE_RATE = 200_000;

/**
 * Refuses a feature front end whose frames x dim per second of audio exceed {@link MAX_FEATURE_RATE}.
 * @param frontEnd - Front-end name.
 * @param dim - Values per frame.
 * @param hopSamples - Samples between frames.
 * @param sampleRate - Hz.
 * @throws AsrqError `FRONTEND_BAD_CONFIG` naming the rate and what sets it.
 */
export function checkFeatureRate(frontEnd: string, dim: number, hopSamples: number, sampleRate: number): void {
  const rate = (dim * sampleRate) / hopSamples;
  if (rate > MAX_FEATURE_RATE)
    badConfig(
      frontEnd,
      `${dim} values per frame every ${hopSamples} samples at ${sampleRate} Hz make ${Math.round(rate)} feature values per second of audio, more than the ${MAX_FEATURE_RATE} asrq allows (a long file would need gigabytes). Use fewer features or a longer hop.`,
    );
}

/** How one config key is checked. */
export type FieldSpec =
  | { type: 'number'; min?: number; max?: number; integer?: boolean; nullable?: boolean; minExclusive?: boolean }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'numbers'; nullable?: boolean };

/** One {@link FieldSpec} per key of a config object. */
export type ConfigSchema<C> = { readonly [K in keyof C]-?: FieldSpec };

function describe(spec: FieldSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${spec.values.map((v) => `'${v}'`).join(', ')}`;
    case 'numbers':
      return `a list of finite numbers${spec.nullable ? ' or null' : ''}`;
    case 'number': {
      const parts = [spec.integer ? 'an integer' : 'a number'];
      if (spec.min !== undefined) parts.push(`${spec.minExclusive ? '>' : '>='} ${spec.min}`);
      if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
      if (spec.nullable) parts.push('or null');
      return parts.join(' ');
    }
  }
}

function valid(spec: FieldSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value);
    case 'numbers':
      if (value === null) return spec.nullable === true;
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
    case 'number':
      if (value === null) return spec.nullable === true;
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (spec.integer && !Number.isInteger(value)) return false;
      if (spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min)) return false;
      return spec.max === undefined || value <= spec.max;
  }
}

/**
 * Checks a partial config against a schema and fills in defaults.
 * @param frontEnd - Front-end name, for messages.
 * @param schema - How each key is checked.
 * @param defaults - Values for keys left out.
 * @param partial - The partial config (an object), or undefined/null for the defaults.
 * @param source - Where the partial config came from, for messages.
 * @returns A new, full config object.
 * @throws AsrqError `FRONTEND_BAD_CONFIG` for a non-object, an unknown key or a bad value.
 */
export function resolveWithSchema<C extends object>(
  frontEnd: string,
  schema: ConfigSchema<C>,
  defaults: Readonly<C>,
  partial: unknown,
  source: string,
): C {
  const resolved = { ...defaults } as C;
  if (partial === undefined || partial === null) return resolved;
  if (typeof partial !== 'object' || Array.isArray(partial)) {
    throw new FrontEndError(
      'FRONTEND_BAD_CONFIG',
      `${source}: the config of front end '${frontEnd}' must be an object of options, got ${Array.isArray(partial) ? 'an array' : typeof partial}.`,
      { location: source },
    );
  }
  const known = Object.keys(schema);
  for (const [key, value] of Object.entries(partial)) {
    const spec = (schema as Record<string, FieldSpec | undefined>)[key];
    if (spec === undefined) {
      throw new FrontEndError(
        'FRONTEND_BAD_CONFIG',
        `${source}: front end '${frontEnd}' has no option '${key}'. Its options are: ${known.join(', ')}.`,
        { location: source },
      );
    }
    if (value === undefined) continue;
    if (!valid(spec, value)) {
      throw new FrontEndError(
        'FRONTEND_BAD_CONFIG',
        `${source}: option '${key}' of front end '${frontEnd}' must be ${describe(spec)}; got ${JSON.stringify(value)}.`,
        { location: source },
      );
    }
    (resolved as Record<string, unknown>)[key] = value;
  }
  return resolved;
}

/**
 * Throws the standard bad-config error for a constraint between options.
 * @param frontEnd - Front-end name.
 * @param message - What is wrong and what to do.
 * @throws AsrqError `FRONTEND_BAD_CONFIG`, always.
 */
export function badConfig(frontEnd: string, message: string): never {
  throw new FrontEndError('FRONTEND_BAD_CONFIG', `front end '${frontEnd}': ${message}`);
}
