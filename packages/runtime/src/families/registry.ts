import { AsrqRuntimeError } from '../errors.js';
import { asrqFamily } from './asrq.js';
import { customFamily } from './custom.js';
import type { CompanionSpec, ModelEvidence, ModelFamily } from './family.js';
import { icefallFamily } from './icefall.js';
import { nemoFamily } from './nemo.js';
import { senseVoiceFamily } from './sense-voice.js';
import { sherpaNemoFamily } from './sherpa-nemo.js';
import { transformersFamily } from './transformers.js';
import { wenetFamily } from './wenet.js';

const families: ModelFamily[] = [];

/**
 * Adds a model family to the registry, or replaces the one of the same name in place. Families
 * are asked in registration order; `fallback` families (the catch-alls) after every other.
 * @param family - Its definition.
 * @example
 * ```ts no-run
 * registerModelFamily(myFamily);
 * ```
 */
export function registerModelFamily(family: ModelFamily): void {
  const at = families.findIndex((f) => f.name === family.name);
  if (at >= 0) families[at] = family;
  else families.push(family);
}

// The built-in families: adding one is its file in families/ plus one line here.
registerModelFamily(transformersFamily);
registerModelFamily(nemoFamily);
registerModelFamily(sherpaNemoFamily);
registerModelFamily(icefallFamily);
registerModelFamily(wenetFamily);
registerModelFamily(senseVoiceFamily);
registerModelFamily(asrqFamily);
registerModelFamily(customFamily);

/**
 * The registered families in the order they are asked (fallbacks last).
 * @returns The families.
 */
export function modelFamilies(): readonly ModelFamily[] {
  return [...families.filter((f) => !f.fallback), ...families.filter((f) => f.fallback)];
}

/**
 * The family registered under a name.
 * @param name - Registry name.
 * @returns The family, or undefined.
 */
export function getModelFamily(name: string): ModelFamily | undefined {
  return families.find((f) => f.name === name);
}

/**
 * Which family a model belongs to: the first, in {@link modelFamilies} order, of the model's
 * kind (samples or features) whose rule recognises it. The catch-alls (`asrq` for waveform
 * models, `custom` for feature models) recognise every model of their kind.
 * @param evidence - The model's signature, metadata and companion files.
 * @returns The family and why it was chosen.
 * @throws AsrqError `RUNTIME_UNSUPPORTED_MODEL` when no family of the model's kind recognises it (only possible after replacing the catch-alls).
 */
export function detectModelFamily(evidence: ModelEvidence): { family: ModelFamily; reason: string } {
  for (const family of modelFamilies()) {
    if (family.kind !== evidence.kind) continue;
    const reason = family.detect(evidence);
    if (reason !== undefined) return { family, reason };
  }
  throw new AsrqRuntimeError(
    'RUNTIME_UNSUPPORTED_MODEL',
    `${evidence.path}: no registered model family takes ${evidence.kind === 'waveform' ? 'samples' : 'features'}. Register one (registerModelFamily).`,
  );
}

/**
 * Every companion file a registered family declares, once each, in registry order.
 * @returns The files.
 */
export function companionSpecs(): CompanionSpec[] {
  const seen = new Map<string, CompanionSpec>();
  for (const family of families)
    for (const spec of family.companions ?? []) if (!seen.has(spec.file)) seen.set(spec.file, spec);
  return [...seen.values()];
}
