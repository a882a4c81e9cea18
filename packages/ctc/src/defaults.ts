/**
 * Every default of @asrq/ctc's decoders and LM weight search, in one place (pyctcdecode's
 * `constants.py` idea): the code, the TSDoc and the CLI's option defaults read them from here.
 */
export const CTC_DEFAULTS = {
  /** Beam width when nothing needs a beam: 1 is the best path (greedy). */
  greedyBeamWidth: 1,
  /** Beam width when an LM, hotwords or an n-best list need one, and of `CtcBeamSearchDecoder` when none is given. */
  beamWidth: 32,
  /** LM weight (natural-log scale; pyctcdecode's). */
  alpha: 0.5,
  /** Word insertion bonus with an LM (pyctcdecode's). */
  beta: 1.5,
  /** Word insertion bonus without an LM. */
  betaWithoutLm: 0,
  /** Added (log10 units, before alpha) for a word the LM lacks. */
  unkScoreOffset: -10,
  /** Bonus per word of a completed hotword phrase (natural-log units; pyctcdecode's). */
  hotwordWeight: 10,
  /** Per frame, tokens below this log-prob are not extended, except the best one (pyctcdecode's). */
  tokenMinLogProb: -5,
  /** Per frame, at most this many tokens are extended. */
  topK: 16,
  /** Prefixes scoring more than this below the best are dropped. */
  beamPruneLogProb: -10,
  /** Frames whose blank probability is at least this skip token expansion (1 = never). */
  blankSkipThreshold: 1,
  /** Hypotheses returned per utterance. */
  nBest: 1,
} as const;

/** Defaults of the LM weight search (`tuneLmWeights`, `asrq lm tune`). */
export const LM_TUNE_DEFAULTS = {
  /** Alpha range of the coarse grid. */
  alphaRange: [0, 2] as readonly [number, number],
  /** Beta range of the coarse grid. */
  betaRange: [-1, 4] as readonly [number, number],
  /** Points per axis of each grid. */
  steps: 5,
  /** Finer grids around the best point. */
  refinements: 1,
} as const;
