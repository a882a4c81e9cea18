import { CtcBeamSearchDecoder, CtcError, greedyDecode, type Hypothesis, type LogProbs, type NgramLM, type Tokenizer } from '@asrq/ctc/pure';

/** How log-probs become text. */
export interface DecodeSettings {
  /** Beam width; default {@link defaultBeamWidth}: 1 (greedy best path) without an LM, hotwords or n-best, 32 with one. */
  beamWidth?: number;
  /** Word n-gram LM for shallow fusion (forces beam search). */
  lm?: NgramLM;
  /** LM weight (natural-log scale, pyctcdecode convention). */
  alpha?: number;
  /** Word insertion bonus. */
  beta?: number;
  /** Words or phrases to boost (a phrase earns its bonus only when all its words are recognised in order). */
  hotwords?: readonly string[];
  /** Bonus per word of a completed hotword phrase (natural-log units; default 10, pyctcdecode's). */
  hotwordWeight?: number;
  /** Hypotheses kept per utterance (default 1); more than 1 fills `Transcript.nbest`. */
  nBest?: number;
}

/** One entry of an n-best list. */
export interface ScoredText {
  text: string;
  /** acousticScore + lmScore (natural log), what the beam search ranks by. */
  score: number;
  acousticScore: number;
  lmScore: number;
}

/**
 * The beam width used when none is given: greedy without an LM, 32 with one (an LM can only
 * change the result through the beam).
 * @param hasLm - Whether an n-gram LM is used.
 * @returns The beam width.
 */
export function defaultBeamWidth(hasLm: boolean): number {
  return hasLm ? 32 : 1;
}

/** A function from log-probs to the best hypothesis (with the n-best list in `nbest` when asked for). */
export type CtcDecodeFn = (logProbs: LogProbs) => Hypothesis & { nbest?: ScoredText[] };

/**
 * Creates the decoding function for the given settings: greedy when beam width is 1 and no
 * LM is given, prefix beam search otherwise.
 * @param tokenizer - The model's tokenizer.
 * @param settings - Beam width, LM and weights.
 * @returns A function decoding one utterance's log-probs.
 */
export function createDecoder(tokenizer: Tokenizer, settings: DecodeSettings = {}): CtcDecodeFn {
  const nBest = settings.nBest ?? 1;
  // Hotwords and n-best lists, like an LM, only act through a beam.
  const beamWidth = settings.beamWidth ?? defaultBeamWidth(settings.lm !== undefined || (settings.hotwords?.length ?? 0) > 0 || nBest > 1);
  if (beamWidth <= 1 && !settings.lm && !settings.hotwords?.length && nBest <= 1) return (lp) => greedyDecode(lp, tokenizer);
  const options: ConstructorParameters<typeof CtcBeamSearchDecoder>[1] = { beamWidth: Math.max(beamWidth, 1) };
  if (settings.lm) options.lm = settings.lm;
  if (settings.alpha !== undefined) options.alpha = settings.alpha;
  if (settings.beta !== undefined) options.beta = settings.beta;
  if (settings.hotwords) options.hotwords = settings.hotwords;
  if (settings.hotwordWeight !== undefined) options.hotwordWeight = settings.hotwordWeight;
  if (nBest > 1) options.nBest = nBest;
  const decoder = new CtcBeamSearchDecoder(tokenizer, options);
  return (lp) => {
    const hyps = decoder.decode(lp);
    const best = hyps[0];
    if (!best) throw new CtcError('CTC_NO_HYPOTHESIS', 'Beam search returned no hypothesis.');
    if (nBest <= 1) return best;
    return { ...best, nbest: hyps.map((h) => ({ text: h.text, score: h.score, acousticScore: h.acousticScore, lmScore: h.lmScore })) };
  };
}
