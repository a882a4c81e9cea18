import { CTC_DEFAULTS } from '../defaults.js';
import type { Hypothesis } from './hypothesis.js';
import type { LogProbs } from '../log-probs.js';
import type { NgramLM } from '../lm/ngram-lm.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';

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

/** A function from log-probs to the best hypothesis (with the n-best list in `nbest` when asked for). */
export type CtcDecodeFn = (logProbs: LogProbs) => Hypothesis & { nbest?: ScoredText[] };

/**
 * The beam width used when none is given: greedy without an LM, 32 with one (an LM can only
 * change the result through the beam).
 * @param hasLm - Whether an n-gram LM is used.
 * @returns The beam width.
 * @example
 * ```ts
 * defaultBeamWidth(true); // 32
 * ```
 */
export function defaultBeamWidth(hasLm: boolean): number {
  return hasLm ? CTC_DEFAULTS.beamWidth : CTC_DEFAULTS.greedyBeamWidth;
}

/** What decides whether decoding needs a beam: an LM (any value, e.g. a loaded one or its path), hotwords, n-best. */
export type BeamNeeds = Pick<DecodeSettings, 'beamWidth' | 'hotwords' | 'nBest'> & { lm?: unknown };

/**
 * Whether the settings need a beam: an LM, hotwords and n-best lists only act through one.
 * @param settings - Decode settings (or a config naming its LM by path).
 * @returns True when any of them is asked for.
 */
export function needsBeam(settings: BeamNeeds): boolean {
  return settings.lm !== undefined || (settings.hotwords?.length ?? 0) > 0 || (settings.nBest ?? 1) > 1;
}

/**
 * The beam width the settings resolve to: theirs, or {@link defaultBeamWidth} when they need a
 * beam. The one place decoders, the transcriber and the benchmark take it from.
 * @param settings - Decode settings (or a config naming its LM by path).
 * @returns The beam width (1 = best path).
 * @example
 * ```ts
 * resolvedBeamWidth({ hotwords: ['ASRQ'] }); // 32
 * ```
 */
export function resolvedBeamWidth(settings: BeamNeeds): number {
  return settings.beamWidth ?? defaultBeamWidth(needsBeam(settings));
}

/** A CTC decoder the registry can pick: adding one is its file plus one `registerDecoder` line. */
export interface DecoderDefinition {
  /** Registry name. */
  readonly name: string;
  /** One line saying what it does. */
  readonly description: string;
  /**
   * @param settings - The settings asked for.
   * @returns Whether this decoder serves them (the most recently registered one that does is used).
   */
  accepts(settings: DecodeSettings): boolean;
  /**
   * Builds the decoding function.
   * @param tokenizer - The model's tokenizer.
   * @param settings - The settings, which {@link DecoderDefinition.accepts} accepted.
   * @returns A function decoding one utterance's log-probs.
   */
  create(tokenizer: Tokenizer, settings: DecodeSettings): CtcDecodeFn;
}
