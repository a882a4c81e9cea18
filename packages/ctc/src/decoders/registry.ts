import { beamDecoder } from './decoder-beam.js';
import { greedyDecoder } from './decoder-greedy.js';
import type { CtcDecodeFn, DecodeSettings, DecoderDefinition } from './decode-settings.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { CtcError } from '../errors.js';

// Most recently registered first: a new decoder is asked before the built-in ones.
const definitions: DecoderDefinition[] = [];

/**
 * Adds a decoder to the registry (or replaces one of the same name). The most recently
 * registered decoder whose `accepts` returns true for the settings is the one used.
 * @param def - Its definition.
 * @example
 * ```ts no-run
 * registerDecoder({ name: 'mine', description: 'my decoder', accepts: (s) => s.beamWidth === 7, create: (tokenizer) => myDecode });
 * ```
 */
export function registerDecoder(def: DecoderDefinition): void {
  const existing = definitions.findIndex((d) => d.name === def.name);
  if (existing >= 0) definitions.splice(existing, 1);
  definitions.unshift(def);
}

// The built-in decoders: adding one is its file plus one line here (the fallback first).
registerDecoder(beamDecoder);
registerDecoder(greedyDecoder);

/**
 * Names of the registered decoders, in the order they are asked.
 * @returns e.g. `['greedy', 'beam']`.
 */
export function decoderNames(): string[] {
  return definitions.map((d) => d.name);
}

/**
 * The decoder that serves the settings.
 * @param settings - Decode settings.
 * @returns The most recently registered definition that accepts them.
 * @throws AsrqError `CTC_NO_DECODER` when none does (only if the built-in fallback was replaced).
 */
export function decoderFor(settings: DecodeSettings): DecoderDefinition {
  const def = definitions.find((d) => d.accepts(settings));
  if (!def)
    throw new CtcError(
      'CTC_NO_DECODER',
      `No registered decoder accepts these settings. Registered decoders: ${decoderNames().join(', ')}. Register one that does (registerDecoder), or keep the built-in beam decoder registered.`,
    );
  return def;
}

/**
 * Creates the decoding function for the given settings: greedy when beam width is 1 and no
 * LM, hotwords or n-best list is asked for, prefix beam search otherwise (or a decoder added with
 * {@link registerDecoder} that accepts the settings).
 * @param tokenizer - The model's tokenizer.
 * @param settings - Beam width, LM and weights.
 * @returns A function decoding one utterance's log-probs.
 * @throws AsrqError `CTC_BAD_OPTION` for a bad beam setting; the function throws `CTC_NO_HYPOTHESIS` if a beam ends empty.
 * @example
 * ```ts no-run
 * const decode = createDecoder(tokenizer, { lm, alpha: 0.5, beta: 1.5 });
 * const { text, words } = decode({ data, frames, vocab: tokenizer.vocabSize });
 * ```
 */
export function createDecoder(tokenizer: Tokenizer, settings: DecodeSettings = {}): CtcDecodeFn {
  return decoderFor(settings).create(tokenizer, settings);
}
