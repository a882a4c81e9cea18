/**
 * Every default of the plan search, in one place: `resolveSearchSettings` applies them once (the
 * journal records the result) and the CLI's `--auto` option defaults read them from here.
 */
export const PLANNER_DEFAULTS = {
  /** Largest accepted WER increase over float, absolute percentage points. */
  maxWerIncrease: 0.3,
  /** Seconds of searching before the best plan so far is kept. */
  budgetSec: 1200,
  /** How plans are accepted: by real WER, or by output SQNR only. */
  metric: 'wer',
  /** Utterances of the evaluation corpus. */
  evalN: 100,
  /** Warm-up utterances of each evaluation run. */
  evalWarmup: 2,
  /** Smallest accepted output SQNR (dB) with metric `sqnr` (accepts by SQNR alone). */
  minSqnrDbBySqnr: 20,
  /** Smallest accepted output SQNR (dB) with metric `wer` (a floor against broken plans). */
  minSqnrDbByWer: 10,
  /** Candidates below this output SQNR (dB) are pruned before measuring (metric `wer`). */
  pruneSqnrDb: 10,
  /** Module groups taking less than this share of the float model's time are not searched. */
  minTimeShare: 0.005,
  /** Candidate plans confirmed with a benchmark. */
  maxTrials: 8,
  /** Plans within this fraction of each other's speed are equally fast. */
  speedTolerance: 0.02,
  /** In a joint run with repeats, plans within this fraction are still indistinguishable. */
  finalistTolerance: 0.005,
  /** Intra-op threads of the measurements. */
  threads: 1,
  /** Block sizes (weights per scale along K) of the 4-bit weight candidates a size budget (`maxSizeBytes`) adds: 32 for accuracy, 128 for size, 64 between. */
  int4BlockSizes: [32, 64, 128],
  /** Calibration utterances and their seed. */
  calibrationN: 10,
  calibrationSeed: 0,
} as const;
