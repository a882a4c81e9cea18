import type { ModelInfoOverrides } from '@asrq/runtime';
import type { CalibrationData, CalibratorKind, Feeds, QuantPlan } from '@asrq/quantize';
import type { BackoffMove, GroupSignal } from './ranking.js';
import type { PlannerTiming } from './timing.js';
import type { Trial } from './types.js';

/** Progress of {@link searchPlan}, tagged by stage. */
export type SearchProgress =
  | { status: 'calibrating'; calibrator: string }
  | { status: 'profiling' }
  | { status: 'probing'; models: number }
  | { status: 'sensitivity'; done: number; total: number; group: string; candidate: string }
  | { status: 'ranked'; moves: number; groups: number }
  | { status: 'trial'; index: number; k: number; summary: string; resumed: boolean }
  | { status: 'measuring'; done: number; total: number }
  | { status: 'trial-done'; trial: Trial }
  | { status: 'finalists'; count: number }
  | { status: 'done'; stoppedBy: 'done' | 'budget' | 'trials' }
  /** The work directory's lock was left by a process that is gone (killed); it was taken over. */
  | { status: 'stale-lock'; path: string; pid?: number; startedAt?: string };

/** Options of {@link searchPlan}. */
export interface SearchPlanOptions {
  /** Calibration feeds; called once per pass and must return a fresh iterable each time. */
  calibration: () => CalibrationData;
  /** One utterance's feeds: SQNR, profiling and the speed probe run on it. */
  sample: Feeds;
  /** Eval corpus (LibriSpeech directory or manifest), utterance count and optional seed. */
  eval: { data: string; n: number; seed?: number; warmup?: number };
  /** Tokenizer path (found beside the model when omitted). */
  tokenizer?: string;
  /** Interface overrides for models whose tensor names or metadata discovery does not recognise. */
  modelOverrides?: ModelInfoOverrides;
  /** Largest accepted WER increase, absolute percentage points (0.3 = +0.3 WER). */
  maxWerIncrease: number;
  /** `wer`: confirm every plan with real WER (default). `sqnr`: accept by output SQNR only (fast). */
  metric: 'wer' | 'sqnr';
  /** Smallest accepted output SQNR: sqnr mode accepts by it alone (default 20 dB); wer mode also requires it, as a floor against broken plans (default 10 dB). */
  minSqnrDb?: number;
  /** Candidates whose single-group SQNR is below this are pruned (default 10 dB). */
  pruneSqnrDb?: number;
  /** Groups taking less than this share of float time stay float (default 0.005). */
  minTimeShare?: number;
  /** Static calibrators to consider (default minmax, percentile, entropy). */
  calibrators?: CalibratorKind[];
  /** Calibration samples used and the seed recorded in the plan (default 10, 0). */
  calibrationN?: number;
  calibrationSeed?: number;
  /**
   * Size budget in bytes: only plans whose model file (external data included) is at most this
   * large are accepted. It also makes 4-bit weights (onnxruntime's MatMulNBits) candidates for
   * weight MatMuls and every module group searchable whatever its time share; the most aggressive
   * plan is made to fit by the changes that add the least output noise per byte saved.
   */
  maxSizeBytes?: number;
  /** Wall-clock budget, seconds; the search returns the best confirmed plan when it runs out. */
  budgetSec: number;
  /** Accepted plans within this fraction of the fastest speedup count as equally fast; the lowest ΔWER of them wins (default 0.02). */
  speedTolerance?: number;
  /** Cap on confirmed plans (default 8). */
  maxTrials?: number;
  /** Journal, trial models and benchmark runs go here. */
  workDir: string;
  /** Continue a search from its journal (same settings required). */
  resume?: boolean;
  /** Start a new search even though the work directory's journal holds trials of an earlier one (replaced). */
  force?: boolean;
  /** Intra-op threads for every measurement (default 1, the bench protocol). */
  threads?: number;
  /** Write the best model here (atomically) and its plan beside it. */
  output?: string;
  /** Plan file path (default `<output>.plan.json`). */
  planPath?: string;
  /** Time shares, speed probes, benchmark timings and the clock (default: measured, {@link realPlannerTiming}); tests inject fixed ones. */
  timing?: PlannerTiming;
  onProgress?: (e: SearchProgress) => void;
  signal?: AbortSignal;
}

/** Result of {@link searchPlan}. */
export interface AutoPlanResult {
  plan: QuantPlan;
  /** The best model: `output` when given, else the trial model in the work directory. */
  modelPath: string;
  planPath?: string;
  float: { wer?: number; rtfEncoder?: number };
  best: Trial;
  trials: Trial[];
  pareto: Trial[];
  stoppedBy: 'done' | 'budget' | 'trials';
  /** Joint-run speedups of the speed-tied accepted plans, when they were compared head to head. */
  finalists?: FinalistSpeed[];
  /** Cheap signals the ranking came from. */
  signals: GroupSignal[];
  moves: BackoffMove[];
  settings: {
    metric: 'wer' | 'sqnr';
    maxWerIncrease: number;
    minSqnrDb: number;
    eval: { data: string; n: number; seed?: number };
    threads: number;
    budgetSec: number;
    maxSizeBytes?: number;
  };
  elapsedSec: number;
}

/** A finalist's speed when the speed-tied accepted plans are measured together. */
export interface FinalistSpeed {
  key: string;
  /** Encoder speedup over float in the joint run (median over repeats). */
  speedup: number;
}
