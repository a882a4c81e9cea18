import { CtcBeamSearchDecoder, type BeamSearchOptions } from './beam-search.js';
import { resolvedBeamWidth, type CtcDecodeFn, type DecodeSettings, type DecoderDefinition } from './decode-settings.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { CtcError } from '../errors.js';

function beamOptions(settings: DecodeSettings): BeamSearchOptions {
  const options: BeamSearchOptions = { beamWidth: Math.max(resolvedBeamWidth(settings), 1) };
  if (settings.lm) options.lm = settings.lm;
  if (settings.alpha !== undefined) options.alpha = settings.alpha;
  if (settings.beta !== undefined) options.beta = settings.beta;
  if (settings.hotwords) options.hotwords = settings.hotwords;
  if (settings.hotwordWeight !== undefined) options.hotwordWeight = settings.hotwordWeight;
  const nBest = settings.nBest ?? 1;
  if (nBest > 1) options.nBest = nBest;
  return options;
}

function createBeamDecoder(tokenizer: Tokenizer, settings: DecodeSettings): CtcDecodeFn {
  const nBest = settings.nBest ?? 1;
  const decoder = new CtcBeamSearchDecoder(tokenizer, beamOptions(settings));
  return (logProbs) => {
    const hyps = decoder.decode(logProbs);
    const best = hyps[0];
    if (!best) throw new CtcError('CTC_NO_HYPOTHESIS', 'Beam search returned no hypothesis.');
    if (nBest <= 1) return best;
    return {
      ...best,
      nbest: hyps.map((h) => ({ text: h.text, score: h.score, acousticScore: h.acousticScore, lmScore: h.lmScore })),
    };
  };
}

/**
 * Prefix beam search ({@link CtcBeamSearchDecoder}) with the settings' LM, weights, hotwords and
 * n-best: accepts any settings, so it is the fallback when no other decoder does.
 */
export const beamDecoder: DecoderDefinition = {
  name: 'beam',
  description: 'CTC prefix beam search with optional n-gram LM fusion, hotwords and n-best lists',
  accepts: () => true,
  create: createBeamDecoder,
};
