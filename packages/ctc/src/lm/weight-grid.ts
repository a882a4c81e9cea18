import { LM_TUNE_DEFAULTS } from '../defaults.js';

/** One evaluated (alpha, beta) pair. */
export interface SurfacePoint {
  alpha: number;
  beta: number;
  /** The score at this pair, lower is better: the word error rate in percent when tuning on WER. */
  wer: number;
}

/** Where and how finely to search; defaults in `LM_TUNE_DEFAULTS`. */
export interface GridOptions {
  /** Alpha range of the coarse grid. */
  alphaRange?: readonly [number, number];
  /** Beta range of the coarse grid. */
  betaRange?: readonly [number, number];
  /** Points per axis of each grid. */
  steps?: number;
  /** Finer grids, each spanning one step of the grid before on each side of the best so far. */
  refinements?: number;
  /** Points evaluated with the coarse grid (e.g. the current defaults), candidates like any other. */
  include?: readonly { alpha: number; beta: number }[];
}

/** What the search found. */
export interface GridResult {
  best: SurfacePoint;
  /** Every evaluated point, in evaluation order. */
  surface: SurfacePoint[];
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function axis(from: number, to: number, steps: number): number[] {
  if (steps <= 1) return [round((from + to) / 2)];
  return Array.from({ length: steps }, (_, i) => round(from + ((to - from) * i) / (steps - 1)));
}

/**
 * Coarse-to-fine grid search of alpha and beta (what NeMo's tuning script and pyctcdecode users
 * do): a coarse grid over the ranges, then grids of the same size spanning one step of the grid
 * before on each side of the best point so far. Points are handed to `evaluate` a grid at a time,
 * so it can spread them over workers; points seen before are not evaluated again. Ties go to the
 * point evaluated first.
 *
 * @param evaluate - The score (lower is better, e.g. WER in percent) of each (alpha, beta), in order.
 * @param options - Ranges, steps, refinements.
 * @returns The best point and the whole evaluated surface.
 * @example
 * ```ts
 * const { best } = await searchWeightGrid(async (points) => points.map((p) => (p.alpha - 0.8) ** 2 + (p.beta - 2) ** 2));
 * ```
 */
export async function searchWeightGrid(
  evaluate: (points: readonly { alpha: number; beta: number }[]) => Promise<number[]>,
  options: GridOptions = {},
): Promise<GridResult> {
  const [a0, a1] = options.alphaRange ?? LM_TUNE_DEFAULTS.alphaRange;
  const [b0, b1] = options.betaRange ?? LM_TUNE_DEFAULTS.betaRange;
  const steps = options.steps ?? LM_TUNE_DEFAULTS.steps;
  const refinements = options.refinements ?? LM_TUNE_DEFAULTS.refinements;
  const surface: SurfacePoint[] = [];
  const seen = new Set<string>();
  const run = async (
    alphas: number[],
    betas: number[],
    extra: readonly { alpha: number; beta: number }[] = [],
  ): Promise<void> => {
    const todo: { alpha: number; beta: number }[] = [];
    const candidates = [
      ...alphas.flatMap((alpha) => betas.map((beta) => ({ alpha, beta }))),
      ...extra.map((p) => ({ alpha: round(p.alpha), beta: round(p.beta) })),
    ];
    for (const { alpha, beta } of candidates) {
      const key = `${alpha},${beta}`;
      if (seen.has(key)) continue;
      seen.add(key);
      todo.push({ alpha, beta });
    }
    if (todo.length === 0) return;
    const wers = await evaluate(todo);
    todo.forEach((p, i) => surface.push({ ...p, wer: wers[i]! }));
  };
  const bestOf = (): SurfacePoint => surface.reduce((best, p) => (p.wer < best.wer ? p : best));
  await run(axis(a0, a1, steps), axis(b0, b1, steps), options.include ?? []);
  let alphaSpan = steps > 1 ? (a1 - a0) / (steps - 1) : 0;
  let betaSpan = steps > 1 ? (b1 - b0) / (steps - 1) : 0;
  for (let r = 0; r < refinements; r++) {
    const best = bestOf();
    await run(
      axis(best.alpha - alphaSpan, best.alpha + alphaSpan, steps),
      axis(best.beta - betaSpan, best.beta + betaSpan, steps),
    );
    // The new grid's step is half the old one (2 spans over steps - 1 intervals, for 5 steps).
    alphaSpan = steps > 1 ? (2 * alphaSpan) / (steps - 1) : 0;
    betaSpan = steps > 1 ? (2 * betaSpan) / (steps - 1) : 0;
  }
  return { best: bestOf(), surface };
}
