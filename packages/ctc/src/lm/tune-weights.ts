import { CTC_DEFAULTS, LM_TUNE_DEFAULTS } from '../defaults.js';
import { createDecodePool } from './decode-pool.js';
import type { LmTuneJob } from './tune-job.js';
import { type GridOptions, type GridResult, searchWeightGrid } from './weight-grid.js';

/** Progress of {@link tuneLmWeights}. */
export type LmTuneProgress =
  /** The search starts: its ranges, grid size and decoding threads. */
  | ({ status: 'searching'; threads: number } & Required<Omit<GridOptions, 'include'>>)
  /** More worker threads were asked for than can run; decoding runs in this thread (the reason says why). */
  | { status: 'in-process'; reason: string }
  /** One grid was scored: its size and the best score so far. */
  | { status: 'grid'; index: number; points: number; best: number };

/** Options of {@link tuneLmWeights}; the grid defaults are in `LM_TUNE_DEFAULTS`. */
export interface LmTuneOptions extends Omit<GridOptions, 'include'> {
  /**
   * The score of one point from the hypotheses of every utterance (in the job's order), lower is
   * better: the dev set's WER in percent, typically.
   */
  score: (texts: string[]) => number;
  /** Decoding worker threads (default 1: this thread). */
  workers?: number;
  onProgress?: (event: LmTuneProgress) => void;
}

/** What {@link tuneLmWeights} found. */
export interface LmTuneResult extends GridResult {
  /** The score at the decoder's default weights (`CTC_DEFAULTS.alpha`, `CTC_DEFAULTS.beta`), always evaluated. */
  defaultScore: number;
  /** Threads that decoded. */
  threads: number;
}

/**
 * Tunes the LM weight (alpha) and word bonus (beta) of beam-search decoding with an n-gram LM on
 * a dev set whose log-probs were computed once ({@link createLmTuneJob}): a coarse grid, then
 * finer ones around the best point ({@link searchWeightGrid}), every point decoded in parallel
 * worker threads and scored by `score`. The default weights are always among the points, so the
 * gain over them is known.
 *
 * @param job - The dev set's log-probs, tokenizer, LM and beam width.
 * @param options - The score, grid, worker threads and progress.
 * @returns The best point, the evaluated surface and the score at the defaults.
 * @example
 * ```ts no-run
 * const refs = items.map((item) => item.transcript);
 * const result = await tuneLmWeights(job, { score: (texts) => werPercent(refs, texts), workers: 2 });
 * console.log(result.best.alpha, result.best.beta);
 * ```
 */
export async function tuneLmWeights(job: LmTuneJob, options: LmTuneOptions): Promise<LmTuneResult> {
  const grid = {
    alphaRange: options.alphaRange ?? LM_TUNE_DEFAULTS.alphaRange,
    betaRange: options.betaRange ?? LM_TUNE_DEFAULTS.betaRange,
    steps: options.steps ?? LM_TUNE_DEFAULTS.steps,
    refinements: options.refinements ?? LM_TUNE_DEFAULTS.refinements,
  };
  const pool = createDecodePool(job, options.workers ?? 1);
  try {
    if (pool.inProcessReason) options.onProgress?.({ status: 'in-process', reason: pool.inProcessReason });
    options.onProgress?.({ status: 'searching', ...grid, threads: pool.threads });
    let grids = 0;
    const defaults = { alpha: CTC_DEFAULTS.alpha, beta: CTC_DEFAULTS.beta };
    const searched = await searchWeightGrid(
      async (points) => {
        const scores = (await pool.decode(points)).map((texts) => options.score(texts));
        options.onProgress?.({ status: 'grid', index: ++grids, points: points.length, best: Math.min(...scores) });
        return scores;
      },
      { ...grid, include: [defaults] },
    );
    const atDefaults = searched.surface.find((p) => p.alpha === defaults.alpha && p.beta === defaults.beta)!;
    return { ...searched, defaultScore: atDefaults.wer, threads: pool.threads };
  } finally {
    await pool.close();
  }
}
