import { funasrFbankFrontEnd } from './funasr-fbank.js';
import { hfNormalizeFrontEnd } from './hf-normalize.js';
import { kaldiFbankFrontEnd } from './kaldi-fbank.js';
import { nemoMelFrontEnd } from './nemo-mel.js';
import { rawFrontEnd } from './raw.js';
import type { FrontEnd, FrontEndDefinition } from './types.js';
import { FrontEndError } from './errors.js';

// biome-ignore lint/suspicious/noExplicitAny: one map holds definitions of differently typed configs (each validates its own)
const definitions = new Map<string, FrontEndDefinition<any>>();

/**
 * Adds a front end to the registry (or replaces one of the same name).
 * @param def - Its definition.
 * @example
 * ```ts
 * registerFrontEnd(myFrontEnd);
 * createFrontEnd(myFrontEnd.name);
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: accepts a definition of any config type, as the map does
export function registerFrontEnd(def: FrontEndDefinition<any>): void {
  definitions.set(def.name, def);
}

// The built-in front ends: adding one is its file plus one line here.
registerFrontEnd(rawFrontEnd);
registerFrontEnd(hfNormalizeFrontEnd);
registerFrontEnd(kaldiFbankFrontEnd);
registerFrontEnd(nemoMelFrontEnd);
registerFrontEnd(funasrFbankFrontEnd);

/**
 * Names of the registered front ends, in registration order.
 * @returns e.g. `['raw', 'hf-normalize', 'kaldi-fbank', 'nemo-mel', 'funasr-fbank']`.
 */
export function frontEndNames(): string[] {
  return [...definitions.keys()];
}

/**
 * The definition registered under a name.
 * @param name - Registry name.
 * @returns Its definition.
 * @throws AsrqError `FRONTEND_UNKNOWN` listing the known names.
 */
export function getFrontEndDefinition(name: string): FrontEndDefinition<unknown> {
  const def = definitions.get(name);
  if (!def) {
    throw new FrontEndError(
      'FRONTEND_UNKNOWN',
      `Unknown front end '${name}'. Known front ends: ${frontEndNames().join(', ')}.`,
    );
  }
  return def;
}

/**
 * Builds a front end by name from a partial config.
 * @param name - Registry name.
 * @param partialConfig - Options to change from the defaults (camelCase keys), or undefined.
 * @param source - Where the options came from, named in errors.
 * @returns The front end.
 * @throws AsrqError `FRONTEND_UNKNOWN` or `FRONTEND_BAD_CONFIG`.
 * @example
 * ```ts
 * const fbank = createFrontEnd('kaldi-fbank', { snipEdges: false });
 * const { data, frames, dim } = fbank.compute(samples);
 * ```
 */
export function createFrontEnd(name: string, partialConfig?: unknown, source = 'front-end config'): FrontEnd {
  const def = getFrontEndDefinition(name);
  return def.create(def.resolveConfig(partialConfig, source)) as FrontEnd;
}
