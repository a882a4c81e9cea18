/** Progress of `buildArpa`, tagged by stage. */
export type BuildArpaProgress =
  | { status: 'counting'; sentences: number }
  | { status: 'estimating'; order: number }
  | { status: 'writing' }
  | { status: 'done'; counts: number[] };

/** Options of `buildArpa`. */
export interface BuildArpaOptions {
  /** N-gram order, 1 to 5. */
  order: number;
  /** Drop n-grams of order >= 2 seen only once (like lmplz --prune 0 1); their mass moves to the backoff weights. */
  pruneSingletons?: boolean;
  /** Progress callback. */
  onProgress?: (progress: BuildArpaProgress) => void;
  /** Cancels the build. */
  signal?: AbortSignal;
}
