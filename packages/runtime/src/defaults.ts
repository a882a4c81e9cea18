/**
 * Every default of @asrq/runtime, in one place: sessions, long-audio windows and subtitle cues.
 * The code, its TSDoc and the CLI's option help read them from here.
 */
export const RUNTIME_DEFAULTS = {
  /** onnxruntime session settings: one intra-op thread so benchmark numbers compare. */
  session: {
    threads: 1,
    interOpThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    spinning: true,
    dynamicBlockBase: 0,
  },
  /** Window length for long audio in seconds: the bundled model runs 30 s in about 0.15 GB. */
  chunkSec: 30,
  /** Context on each side of a window in seconds (transformers' default of chunk/6). */
  strideSec: 5,
  /** How transcribed words are grouped into subtitle cues. */
  cues: {
    /** A silence at least this long between two words starts a new cue. */
    pauseSec: 0.6,
    /** Characters per line (the usual broadcast limit). */
    maxLineChars: 42,
    /** Lines per cue. */
    maxLines: 2,
    /** Longest cue on screen in seconds. */
    maxCueSec: 6,
  },
} as const;

/** Default window length of long audio in seconds (`RUNTIME_DEFAULTS.chunkSec`). */
export const DEFAULT_CHUNK_SEC: number = RUNTIME_DEFAULTS.chunkSec;
/** Default context on each side of a window in seconds (`RUNTIME_DEFAULTS.strideSec`). */
export const DEFAULT_STRIDE_SEC: number = RUNTIME_DEFAULTS.strideSec;
