import type { QuantPlan } from '@asrq/quantize';

/** One plan the search built and measured. */
export interface Trial {
  /** Content hash of the plan (journal key). */
  key: string;
  /** Back-off moves applied (0 = the most aggressive plan the cheap signals allow). */
  k: number;
  plan: QuantPlan;
  /** Short description: how many groups are quantized and which stay float. */
  summary: string;
  modelPath: string;
  sizeBytes: number;
  /** Lowest output SQNR (dB) against the float model on the sample. */
  sqnrDb: number;
  /** Nodes the plan quantized (0: the model is float and is never accepted; absent in journals of older versions). */
  quantizedNodes?: number;
  /** WER % on the eval set (absent when only SQNR decided, `metric: 'sqnr'`). */
  wer?: number;
  /** WER % of the float model in the same benchmark run. */
  floatWer?: number;
  /** wer − floatWer, absolute percentage points. */
  werDelta?: number;
  /** Encoder RTF, 1 thread, interleaved with the float model. */
  rtfEncoder?: number;
  floatRtfEncoder?: number;
  /** floatRtfEncoder / rtfEncoder in the same run. */
  speedup?: number;
  /** Within the budget (ΔWER ≤ maxWerIncrease, or SQNR ≥ minSqnrDb in sqnr mode). */
  accepted: boolean;
  /** True for the calibrator-refinement trials run after the structure was chosen (not counted in --max-trials). */
  refinement?: true;
  /** Seconds this trial took (build + measure). */
  seconds: number;
}
